"""The queries the conversation core needs, one short transaction each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import insert, null, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.inbox import Inbox
from bot.store.models import Conversation, InboxUpdate, Message, Person
from bot.store.tickets import Out, Target, outgoing_rows


class Awaiting(StrEnum):
    """A question Broen asked, which the person's next message may answer."""

    AGE = "age"  # for the leisure-job rules
    AGE_GROUP = "handoff_age"  # before a handoff
    CONSENT = "consent"  # may the counsellor see the conversation


@dataclass(frozen=True)
class DialogueState:
    """What Broen keeps of a conversation from one message to the next: read with the
    contact, worked out whole by each turn (`Core.handle`), saved whole by `Store.answer`."""

    language_last: str | None = None  # the language of the latest reply
    language_choice: str | None = None  # chosen explicitly (/language); wins over detection
    failed_in_a_row: int = 0  # messages not understood in a row
    age_band: str | None = None  # for the leisure-job rules, once known
    awaiting: Awaiting | None = None  # a question Broen asked, which the next message may answer
    awaiting_kept: bool = False  # the pending question already survived one other message
    age_group: str | None = None  # under_15, 15_17, 18_plus, parent (asked before a handoff)
    handoff_reason: str | None = None  # why a person was asked for, until the ticket exists


@dataclass(frozen=True)
class Contact:
    """Who wrote, and where their conversation stands."""

    person_id: int
    conversation_id: int
    state: DialogueState
    channel: str = ""
    external_id: str = ""


@dataclass(frozen=True)
class Answered:
    """What became of an incoming message: its meaning, the replies, and the dialogue
    state after it (the reply language is its `language_last`)."""

    replies: list[tuple[str, tuple[tuple[str, str], ...]]]  # (text, buttons as (label, data))
    state: DialogueState
    intent: str | None = None
    topic: str | None = None
    confidence: float | None = None


# The objects an UPDATE changes are never loaded in the same session: nothing to synchronize.
_PLAIN = {"synchronize_session": False}


class Store:
    def __init__(self, sessions: async_sessionmaker) -> None:
        self._sessions = sessions
        self.inbox = Inbox(sessions)

    @property
    def sessions(self) -> async_sessionmaker:
        return self._sessions

    async def receive(
        self, channel: str, external_id: str, first_name: str | None, kind: str, text: str | None, now: datetime,
        update_id: int | None = None,
    ) -> tuple[Contact, int]:
        """Find or create the person and their conversation, and store the incoming message,
        in one transaction that commits before the message is handled. An update handled
        again after a crash (`update_id` from the inbox) keeps the message stored the first time."""
        async with self._sessions.begin() as session:
            # One query for what a returning person's message needs (the hot path).
            stored_message = select(InboxUpdate.message_id).where(InboxUpdate.update_id == update_id) \
                .scalar_subquery()
            found = (await session.execute(
                select(Person, Conversation, stored_message if update_id is not None else null())
                .outerjoin(Conversation, Conversation.person_id == Person.id)
                .where(Person.channel == channel, Person.external_id == external_id)
            )).first()
            person, conversation, message_id = found if found is not None else (None, None, None)
            if person is None:
                person = Person(channel=channel, external_id=external_id, first_name=first_name, created_at=now)
                session.add(person)
                await session.flush()
            elif first_name and person.first_name != first_name:
                person.first_name = first_name
            if conversation is None:
                conversation = Conversation(person_id=person.id, failed_understandings=0, updated_at=now)
                session.add(conversation)
                await session.flush()
            if message_id is None:
                message_id = await session.scalar(insert(Message).values(
                    conversation_id=conversation.id, direction="in", kind=kind, text=text, created_at=now,
                ).returning(Message.id))
                if update_id is not None:
                    await session.execute(update(InboxUpdate).where(InboxUpdate.update_id == update_id)
                                          .values(message_id=message_id), execution_options=_PLAIN)
            contact = Contact(
                person_id=person.id,
                conversation_id=conversation.id,
                state=DialogueState(
                    language_last=person.language_last,
                    language_choice=person.language_choice,
                    failed_in_a_row=conversation.failed_understandings,
                    age_band=conversation.age_band,
                    awaiting=Awaiting(conversation.awaiting) if conversation.awaiting in set(Awaiting) else None,
                    awaiting_kept=bool(conversation.awaiting_kept),
                    age_group=person.age_group,
                    handoff_reason=conversation.handoff_reason,
                ),
                channel=channel,
                external_id=external_id,
            )
            return contact, message_id

    async def answer(self, contact: Contact, message_id: int, answered: Answered, now: datetime,
                     update_id: int | None = None) -> None:
        """Record what the incoming message meant, and queue the replies in the outbox, in
        one transaction that also marks the update handled: after a crash the message is
        either answered once or handled again, never answered twice."""
        async with self._sessions.begin() as session:
            if update_id is not None:
                await session.execute(self.inbox.mark_handled(update_id, now))
            await self._record_answer(session, contact, message_id, answered, now)
        if update_id is not None:
            self.inbox.noted_handled(update_id)

    @staticmethod
    async def _record_answer(session: AsyncSession, contact: Contact, message_id: int, answered: Answered,
                             now: datetime) -> None:
        state = answered.state
        # Plain UPDATEs (nothing loaded first); none matches when the person deleted
        # their data (/delete) meanwhile, and then nothing is added either.
        meant = await session.execute(
            update(Message).where(Message.id == message_id).values(
                language=state.language_last, intent=answered.intent, topic=answered.topic,
                confidence=answered.confidence),
            execution_options=_PLAIN)
        if not meant.rowcount:
            return
        await session.execute(
            update(Person).where(Person.id == contact.person_id).values(
                language_last=state.language_last, language_choice=state.language_choice,
                age_group=state.age_group),
            execution_options=_PLAIN)
        await session.execute(
            update(Conversation).where(Conversation.id == contact.conversation_id).values(
                failed_understandings=state.failed_in_a_row, age_band=state.age_band, awaiting=state.awaiting,
                awaiting_kept=state.awaiting_kept, handoff_reason=state.handoff_reason, updated_at=now),
            execution_options=_PLAIN)
        if not answered.replies:
            return
        await session.execute(insert(Message), [
            dict(conversation_id=contact.conversation_id, direction="out", kind="text", text=text,
                 language=state.language_last, created_at=now)
            for text, _ in answered.replies
        ])
        session.add_all(outgoing_rows(
            [Out(Target.PERSON, text, buttons=buttons, channel=contact.channel, chat_id=contact.external_id)
             for text, buttons in answered.replies], now))

    async def previous_text(self, conversation_id: int, before_id: int) -> tuple[int, str] | None:
        """The person's last written message before this one (id, text): what a button
        such as "I am OK" answers about."""
        async with self._sessions() as session:
            row = (await session.execute(
                select(Message.id, Message.text)
                .where(Message.conversation_id == conversation_id, Message.direction == "in",
                       Message.kind != "button", Message.id < before_id, Message.text.is_not(None))
                .order_by(Message.id.desc()).limit(1)
            )).first()
            return (row.id, row.text) if row else None

    async def last_topic(self, conversation_id: int) -> str | None:
        """The topic of the person's last understood message (the one being handled has
        none yet): what a follow-up such as "where is it?" refers to."""
        async with self._sessions() as session:
            return await session.scalar(
                select(Message.topic)
                .where(Message.conversation_id == conversation_id, Message.direction == "in",
                       Message.topic.is_not(None))
                .order_by(Message.id.desc()).limit(1)
            )

    async def messages(self, channel: str, external_id: str) -> list[Message]:
        """All messages of a person, oldest first (for tests and, later, /mydata)."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Message)
                .join(Conversation, Message.conversation_id == Conversation.id)
                .join(Person, Conversation.person_id == Person.id)
                .where(Person.channel == channel, Person.external_id == external_id)
                .order_by(Message.id)
            )
            return list(rows)
