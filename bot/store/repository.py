"""The queries the conversation core needs, one short transaction each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from bot.clock import local
from bot.store.db import engine_of
from bot.store.inbox import Inbox
from bot.store.models import Conversation, InboxUpdate, Message, Outgoing, Person, Ticket
from bot.store.tickets import ACTIVE, Out, Target, outgoing_values


class Awaiting(StrEnum):
    """A question Broen asked, which the person's next message may answer."""

    AGE = "age"  # for the leisure-job rules
    AGE_GROUP = "handoff_age"  # before a handoff
    CONSENT = "consent"  # may the counsellor see the conversation
    NINTH_GRADE = "ninth_grade"  # has a 15-17-year-old finished 9th grade (the job rules)


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
    desk: str | None = None  # the desk whose poster brought them (/start <desk id>)
    introduced: str | None = None  # the counsellor a rule answer last introduced
    introduced_at: datetime | None = None


@dataclass(frozen=True)
class Contact:
    """Who wrote, and where their conversation stands."""

    person_id: int
    conversation_id: int
    state: DialogueState
    channel: str = ""
    external_id: str = ""
    # A counsellor's chat (a ticket open or taken) when the message came: only then is
    # the ticket itself looked up (a new one comes only from this chat's own messages,
    # which are handled one after another).
    in_handoff: bool = False


@dataclass(frozen=True)
class Answered:
    """What became of an incoming message: its meaning, the replies, and the dialogue
    state after it (the reply language is its `language_last`)."""

    replies: list[tuple[str, tuple[tuple[str, str], ...]]]  # (text, buttons as (label, data))
    state: DialogueState
    intent: str | None = None
    topic: str | None = None
    confidence: float | None = None


# The statements of every message, built once (building and keying a statement each
# time cost several times what SQLite takes to run it), on the tables: no ORM objects
# are loaded or kept on this path.
_people, _conversations, _messages = Person.__table__, Conversation.__table__, Message.__table__
_inbox, _tickets = InboxUpdate.__table__, Ticket.__table__
# What a returning person's message needs, in one query; with the message already
# stored when this update is handled again after a crash.
_FIND = (
    select(_people.c.id.label("person_id"), _people.c.first_name, _people.c.language_last,
           _people.c.language_choice, _people.c.age_group, _people.c.desk, _conversations.c.id.label("conversation_id"),
           _conversations.c.failed_understandings, _conversations.c.age_band, _conversations.c.awaiting,
           _conversations.c.awaiting_kept, _conversations.c.handoff_reason, _conversations.c.introduced,
           _conversations.c.introduced_at,
           select(_inbox.c.message_id).where(_inbox.c.update_id == bindparam("update_id"))
           .scalar_subquery().label("stored_message_id"),
           exists().where(_tickets.c.person_id == _people.c.id, _tickets.c.state.in_(ACTIVE)).label("in_handoff"))
    .select_from(_people.outerjoin(_conversations, _conversations.c.person_id == _people.c.id))
    .where(_people.c.channel == bindparam("channel"), _people.c.external_id == bindparam("external_id"))
)
_NEW_PERSON = insert(_people).returning(_people.c.id)
_NEW_CONVERSATION = insert(_conversations).returning(_conversations.c.id)
_NEW_MESSAGE = insert(_messages).returning(_messages.c.id)
_MESSAGES = insert(_messages)
_OUTBOX = insert(Outgoing.__table__)
_RENAME = update(_people).where(_people.c.id == bindparam("person_id")).values(first_name=bindparam("new_name"))
_STORED_AS = update(_inbox).where(_inbox.c.update_id == bindparam("update")).values(
    message_id=bindparam("new_message_id"))
_MEANT = update(_messages).where(_messages.c.id == bindparam("message_id")).values(
    language=bindparam("new_language"), intent=bindparam("new_intent"), topic=bindparam("new_topic"),
    confidence=bindparam("new_confidence"))
_PERSON_STATE = update(_people).where(_people.c.id == bindparam("person_id")).values(
    language_last=bindparam("new_language_last"), language_choice=bindparam("new_language_choice"),
    age_group=bindparam("new_age_group"), desk=bindparam("new_desk"))
_CONVERSATION_STATE = update(_conversations).where(_conversations.c.id == bindparam("conversation_id")).values(
    failed_understandings=bindparam("new_failed"), age_band=bindparam("new_age_band"),
    awaiting=bindparam("new_awaiting"), awaiting_kept=bindparam("new_awaiting_kept"),
    handoff_reason=bindparam("new_handoff_reason"), introduced=bindparam("new_introduced"),
    introduced_at=bindparam("new_introduced_at"), updated_at=bindparam("new_updated_at"))


class Store:
    def __init__(self, sessions: async_sessionmaker) -> None:
        self._sessions = sessions
        # The statements above run on the engine's connections: no session to set up.
        self._engine = engine_of(sessions)
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
        async with self._engine.begin() as connection:
            found = (await connection.execute(
                _FIND, {"channel": channel, "external_id": external_id, "update_id": update_id})).first()
            if found is None:
                person_id = await connection.scalar(_NEW_PERSON, {
                    "channel": channel, "external_id": external_id, "first_name": first_name, "created_at": now})
            else:
                person_id = found.person_id
                if first_name and found.first_name != first_name:
                    await connection.execute(_RENAME, {"person_id": person_id, "new_name": first_name})
            conversation_id = found.conversation_id if found is not None else None
            if conversation_id is None:
                conversation_id = await connection.scalar(_NEW_CONVERSATION, {
                    "person_id": person_id, "failed_understandings": 0, "updated_at": now})
            message_id = found.stored_message_id if found is not None else None
            if message_id is None:
                message_id = await connection.scalar(_NEW_MESSAGE, {
                    "conversation_id": conversation_id, "direction": "in", "kind": kind, "text": text,
                    "created_at": now})
                if update_id is not None:
                    await connection.execute(_STORED_AS, {"update": update_id, "new_message_id": message_id})
        state = DialogueState(
            language_last=found.language_last,
            language_choice=found.language_choice,
            failed_in_a_row=found.failed_understandings or 0,
            age_band=found.age_band,
            awaiting=Awaiting(found.awaiting) if found.awaiting in set(Awaiting) else None,
            awaiting_kept=bool(found.awaiting_kept),
            age_group=found.age_group,
            handoff_reason=found.handoff_reason,
            desk=found.desk,
            introduced=found.introduced,
            introduced_at=local(found.introduced_at) if found.introduced_at else None,
        ) if found is not None else DialogueState()
        contact = Contact(person_id=person_id, conversation_id=conversation_id, state=state, channel=channel,
                          external_id=external_id, in_handoff=bool(found is not None and found.in_handoff))
        return contact, message_id

    async def answer(self, contact: Contact, message_id: int, answered: Answered, now: datetime,
                     update_id: int | None = None) -> None:
        """Record what the incoming message meant, and queue the replies in the outbox, in
        one transaction that also marks the update handled: after a crash the message is
        either answered once or handled again, never answered twice."""
        async with self._engine.begin() as connection:
            if update_id is not None:
                await self.inbox.mark_handled(connection, update_id, now)
            await self._record_answer(connection, contact, message_id, answered, now)
        if update_id is not None:
            self.inbox.noted_handled(update_id)

    @staticmethod
    async def _record_answer(connection: AsyncConnection, contact: Contact, message_id: int, answered: Answered,
                             now: datetime) -> None:
        state = answered.state
        # None matches when the person deleted their data (/delete) meanwhile; then
        # nothing is added either.
        meant = await connection.execute(_MEANT, {
            "message_id": message_id, "new_language": state.language_last, "new_intent": answered.intent,
            "new_topic": answered.topic, "new_confidence": answered.confidence})
        if not meant.rowcount:
            return
        await connection.execute(_PERSON_STATE, {
            "person_id": contact.person_id, "new_language_last": state.language_last,
            "new_language_choice": state.language_choice, "new_age_group": state.age_group, "new_desk": state.desk})
        await connection.execute(_CONVERSATION_STATE, {
            "conversation_id": contact.conversation_id, "new_failed": state.failed_in_a_row,
            "new_age_band": state.age_band, "new_awaiting": state.awaiting, "new_awaiting_kept": state.awaiting_kept,
            "new_handoff_reason": state.handoff_reason, "new_introduced": state.introduced,
            "new_introduced_at": state.introduced_at, "new_updated_at": now})
        if not answered.replies:
            return
        await connection.execute(_MESSAGES, [
            {"conversation_id": contact.conversation_id, "direction": "out", "kind": "text", "text": text,
             "language": state.language_last, "created_at": now}
            for text, _ in answered.replies
        ])
        await connection.execute(_OUTBOX, [
            outgoing_values(Out(Target.PERSON, text, buttons=buttons, channel=contact.channel,
                                chat_id=contact.external_id), now)
            for text, buttons in answered.replies
        ])

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

    async def last_topic(self, conversation_id: int, since: datetime) -> str | None:
        """The topic the person last asked about since then, typed or tapped (the message
        being handled has none yet): what a follow-up such as "where is it?" or "I'm 14"
        refers to. Small talk ("ok", "thanks") in between does not change the subject."""
        async with self._sessions() as session:
            return await session.scalar(
                select(Message.topic)
                .where(Message.conversation_id == conversation_id, Message.direction == "in",
                       Message.topic.is_not(None), Message.topic != "smalltalk", Message.created_at >= since)
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
