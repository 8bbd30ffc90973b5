"""Database tables. Store the minimum: a first name, language, and the messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
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
    # Asked once before a handoff: under_15, 15_17, 18_plus or parent (decides what
    # may be shared; Danish digital consent age is 15). A band, never a birth date.
    age_group: Mapped[str | None] = mapped_column(String(16))
    # The desk whose poster brought them (/start <desk id>): its area's counsellors are
    # preferred. A site file id, never a place they live.
    desk: Mapped[str | None] = mapped_column(String(32))
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
    # The pending question has already survived one unrelated message (it does once).
    awaiting_kept: Mapped[bool] = mapped_column(Boolean, default=False)
    # Why a person was asked for, while the age and consent questions are answered
    # (request, offer, not_understood, crisis).
    handoff_reason: Mapped[str | None] = mapped_column(String(16))
    # The counsellor a rule answer last introduced ("for your own situation, talk to ..."),
    # and when: the next answers within a while do not repeat that paragraph.
    introduced: Mapped[str | None] = mapped_column(String(32))
    introduced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
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
    # The counsellor (site id) who wrote an outgoing message; None for Broen itself.
    author: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Ticket(Base):
    """A handoff to a counsellor: asked for, maybe taken, closed with an outcome.

    The person link is cleared when the person deletes their data; the ticket stays
    (without anything personal) so the staff group's history still makes sense.
    """

    __tablename__ = "tickets"
    # One active ticket per person, whatever arrives at the same moment (a double tap
    # on "Yes", two workers): the database refuses the second.
    __table_args__ = (
        Index("ux_tickets_one_active_per_person", "person_id", unique=True,
              sqlite_where=text("state IN ('open', 'taken')"), postgresql_where=text("state IN ('open', 'taken')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(16))  # request, offer, not_understood, crisis
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    topic: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    # Consent to show the conversation: the answer, the wording asked, and when.
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_wording: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    counsellor: Mapped[str] = mapped_column(String(32))  # named, then holding (site id)
    state: Mapped[str] = mapped_column(String(8), default="open")  # open, taken, closed
    thread_id: Mapped[int | None] = mapped_column(Integer)  # the staff group's topic
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Last announced to the counsellors with a notification; None while queued out of hours.
    announced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(String(200))
    # A crisis ticket: the kind of danger, and the message that raised it. The card shows
    # that message even without consent to the transcript (the person's vital interest).
    crisis_category: Mapped[str | None] = mapped_column(String(16))
    trigger_message_id: Mapped[int | None] = mapped_column(Integer)


class Reminder(Base):
    """A reminder a person asked for with a button: of a desk's next opening, or of the
    application deadline. Sent through the outbox when due (never at night), then deleted;
    /stop_reminders and /delete delete it before."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # opening, deadline
    desk: Mapped[str | None] = mapped_column(String(32))  # the desk (site id) of an opening
    # The opening's start, or the deadline's day (at midnight): checked again when sent,
    # so a cancelled opening gets a correction instead.
    event_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    for_child: Mapped[bool] = mapped_column(Boolean, default=False)  # a parent asked: the text speaks to a parent
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MonthlyReport(Base):
    """A monthly report queued for the staff group: once per month, whichever worker leads."""

    __tablename__ = "monthly_reports"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # 2026-11
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Outgoing(Base):
    """The outbox: everything sent outside a direct reply (relays, cards, notices).

    Written in the same transaction as the change that causes it and deleted only
    when sent, so a restart, a 429 or a network failure delays a message but never
    loses it.
    """

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(8))  # "person" or "staff"
    channel: Mapped[str | None] = mapped_column(String(16))  # a person's channel
    chat_id: Mapped[str | None] = mapped_column(String(64))  # a person's id in that channel
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # text, relay (may be merged), card, close_topic
    text: Mapped[str] = mapped_column(Text, default="")
    buttons: Mapped[str | None] = mapped_column(Text)  # JSON [[label, data], ...]
    notify: Mapped[bool] = mapped_column(Boolean, default=True)  # False: silent at night
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # after a 429 or a failure
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[str | None] = mapped_column(String(32))  # "blocked": kept, not retried
    # A staff reply shown where the counsellor acted (else: the ticket's topic).
    thread_id: Mapped[int | None] = mapped_column(Integer)
    # A card sent in parts: how many went out, so a retry sends only the rest.
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    # Claimed by one worker while it sends (several workers share one database); a
    # lease that ran out (the worker died) frees the row for another.
    lease_owner: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class InboxUpdate(Base):
    """The inbox: every update from Telegram, stored before Telegram learns it arrived.

    Polling confirms an update (the next getUpdates offset) and the webhook answers 200
    only after this row is committed. The unique update id drops Telegram's repeats; a
    row without `handled_at` after a crash is handled at the next start. The payload
    (which holds the message) is cleared once handled.
    """

    __tablename__ = "inbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    payload: Mapped[str | None] = mapped_column(Text)  # the update as Telegram sent it (JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # The stored message this update became, so a replay after a crash does not store it twice.
    message_id: Mapped[int | None] = mapped_column(Integer)
    # The chat (or staff topic) it belongs to: a worker handles an update only once the
    # chat's earlier ones are handled, whichever worker has them.
    chat_key: Mapped[str | None] = mapped_column(String(64), index=True)
