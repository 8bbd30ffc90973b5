"""Database tables. Store the minimum: a first name, language, and the messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Person(Base):
    """Someone who writes to Broen, identified per channel (telegram, console)."""

    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    first_name: Mapped[str | None] = mapped_column(String(64))
    # What the person chose explicitly (/language); wins over everything else.
    language_choice: Mapped[str | None] = mapped_column(String(8))
    # The language of their last message; used when a new message is too short to tell.
    language_last: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    conversation: Mapped[Conversation | None] = relationship(back_populates="person", uselist=False)


class Conversation(Base):
    """A person's running conversation with the bot: one per person."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    # Messages in a row the bot could not understand; two in a row offer a person.
    failed_understandings: Mapped[int] = mapped_column(Integer, default=0)
    # The age band the leisure-job rules were last given for (maybe a parent's child):
    # a band, not a birth date, to store no more than the answer needs.
    age_band: Mapped[str | None] = mapped_column(String(16))
    # A question the bot asked and the next message may answer ("age"); else None.
    awaiting: Mapped[str | None] = mapped_column(String(16))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person] = relationship(back_populates="conversation")


class Message(Base):
    """One message in or out. Incoming ones are written before they are handled."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(3))  # "in" or "out"
    kind: Mapped[str] = mapped_column(String(16))  # text, button, command, photo, voice, ...
    text: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    intent: Mapped[str | None] = mapped_column(String(64))
    topic: Mapped[str | None] = mapped_column(String(32))
    confidence: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
