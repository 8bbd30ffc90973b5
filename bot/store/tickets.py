"""Handoff tickets and the outbox, one short transaction per change.

A change and the messages it causes (a card for the staff group, a notice for the
person) are written in the same transaction, so they happen together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from enum import StrEnum

from bot.clock import local
from bot.store.db import engine_of
from bot.store.models import Conversation, Message, MonthlyReport, Outgoing, Person, Reminder, Ticket


class Target(StrEnum):
    """Who an outbox row is for."""

    PERSON = "person"
    STAFF = "staff"


class Kind(StrEnum):
    """What an outbox row is."""

    TEXT = "text"
    RELAY = "relay"  # a person's words for the staff topic; may be merged with the next
    CARD = "card"  # rendered when sent, in parts
    TRANSCRIPT = "transcript"
    CLOSE_TOPIC = "close_topic"
    DELETE_TOPIC = "delete_topic"
    REPORT = "report"  # the monthly report (its text: the month), drawn when sent, as a PDF
    NUMBERS = "numbers"  # /tal: the last 30 days (its text: the day asked), drawn when sent, with a chart


class State(StrEnum):
    """A ticket's state."""

    OPEN = "open"
    TAKEN = "taken"
    CLOSED = "closed"


ACTIVE = (State.OPEN, State.TAKEN)


@dataclass(frozen=True)
class Out:
    """One message to send later: to a person (channel, chat_id) or to the staff group."""

    target: Target
    text: str
    kind: Kind = Kind.TEXT
    buttons: tuple[tuple[str, str], ...] = ()
    notify: bool = True
    ticket_id: int | None = None
    channel: str | None = None
    chat_id: str | None = None
    thread_id: int | None = None  # a staff reply where the counsellor acted; else the ticket's topic


@dataclass(frozen=True)
class Pending:
    """An outbox row as the dispatcher sees it."""

    id: int
    target: Target
    kind: Kind
    text: str
    buttons: tuple[tuple[str, str], ...]
    notify: bool
    ticket_id: int | None
    thread_id: int | None  # set for a staff reply where the counsellor acted
    channel: str | None
    chat_id: str | None
    attempts: int
    not_before: datetime | None = None
    parts_sent: int = 0
    lease_owner: str | None = None
    lease_until: datetime | None = None


@dataclass(frozen=True)
class TicketView:
    id: int
    person_id: int | None
    channel: str | None
    chat_id: str | None
    first_name: str | None
    age_group: str | None
    language: str
    reason: str
    urgent: bool
    topic: str | None
    consent: bool
    consent_at: datetime | None
    counsellor: str
    state: str
    thread_id: int | None
    created_at: datetime
    announced_at: datetime | None
    crisis_category: str | None = None
    trigger_message_id: int | None = None  # the crisis message, or else the question that led here

    @property
    def is_crisis(self) -> bool:
        """Opened by a crisis, or a crisis came up while it was open."""
        return self.reason == "crisis" or self.crisis_category is not None


@dataclass(frozen=True)
class NewTicket:
    person_id: int
    reason: str
    urgent: bool
    topic: str | None
    language: str
    counsellor: str
    consent: bool = False
    consent_wording: str | None = None
    consent_at: datetime | None = None
    announced_at: datetime | None = None
    crisis_category: str | None = None
    trigger_message_id: int | None = None


@dataclass(frozen=True)
class PersonData:
    """Everything stored about a person, for /mydata."""

    first_name: str | None
    language: str | None
    age_group: str | None
    age_band: str | None
    since: datetime
    messages: list[Message] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    desk: str | None = None  # the desk whose poster brought them


def outgoing_values(out: Out, now: datetime) -> dict:
    """An outbox row's columns."""
    return dict(
        target=out.target, channel=out.channel, chat_id=out.chat_id, ticket_id=out.ticket_id, kind=out.kind,
        text=out.text, buttons=json.dumps(out.buttons) if out.buttons else None, notify=out.notify,
        created_at=now, attempts=0, parts_sent=0, thread_id=out.thread_id,
    )


# The statements of every message, built once (see repository.py).
_outbox = Outgoing.__table__
_CHAT_PENDING = (
    select(*_outbox.c)
    .where(_outbox.c.target == bindparam("target"), _outbox.c.failed.is_(None),
           _outbox.c.channel == bindparam("channel"), _outbox.c.chat_id == bindparam("chat_id"))
    .order_by(_outbox.c.id).limit(bindparam("limit"))
)
_CLAIM = (
    update(_outbox)
    .where(_outbox.c.id.in_(bindparam("ids", expanding=True)), _outbox.c.failed.is_(None),
           # free: never leased, the lease ran out, or this worker's own
           _outbox.c.lease_until.is_(None) | (_outbox.c.lease_until < bindparam("now"))
           | (_outbox.c.lease_owner == bindparam("owner")),
           # due
           _outbox.c.not_before.is_(None) | (_outbox.c.not_before <= bindparam("now")))
    .values(lease_owner=bindparam("owner"), lease_until=bindparam("until"))
    .returning(_outbox.c.id, _outbox.c.parts_sent)
)
_ACTIVE_FOR = select(Ticket).where(Ticket.person_id == bindparam("person_id"), Ticket.state.in_(ACTIVE)) \
    .order_by(Ticket.id.desc())
_SENT = delete(_outbox).where(_outbox.c.id.in_(bindparam("ids", expanding=True)))


class Tickets:
    def __init__(self, sessions: async_sessionmaker) -> None:
        self._sessions = sessions
        self._engine = engine_of(sessions)  # for the outbox's statements
        # Rows for the staff group queued so far: a channel wakes its staff dispatcher
        # after a person's message only when this moved (most messages queue none).
        self.staff_rows_queued = 0

    @property
    def sessions(self) -> async_sessionmaker:
        """For the report's read-only aggregates."""
        return self._sessions

    def _rows(self, outbox: Iterable[Out], now: datetime) -> list[Outgoing]:
        rows = [Outgoing(**outgoing_values(out, now)) for out in outbox]
        self.staff_rows_queued += sum(row.target == Target.STAFF for row in rows)
        return rows

    # Reading -----------------------------------------------------------------------

    async def _view(self, session: AsyncSession, ticket: Ticket) -> TicketView:
        person = await session.get(Person, ticket.person_id) if ticket.person_id else None
        return TicketView(
            id=ticket.id, person_id=ticket.person_id,
            channel=person.channel if person else None, chat_id=person.external_id if person else None,
            first_name=person.first_name if person else None, age_group=person.age_group if person else None,
            language=ticket.language, reason=ticket.reason, urgent=ticket.urgent, topic=ticket.topic,
            consent=ticket.consent, consent_at=local(ticket.consent_at) if ticket.consent_at else None, counsellor=ticket.counsellor, state=ticket.state,
            thread_id=ticket.thread_id, created_at=local(ticket.created_at),
            announced_at=local(ticket.announced_at) if ticket.announced_at else None,
            crisis_category=ticket.crisis_category, trigger_message_id=ticket.trigger_message_id,
        )

    async def get(self, ticket_id: int) -> TicketView | None:
        async with self._sessions() as session:
            ticket = await session.get(Ticket, ticket_id)
            return await self._view(session, ticket) if ticket else None

    async def by_thread(self, thread_id: int) -> TicketView | None:
        async with self._sessions() as session:
            ticket = await session.scalar(select(Ticket).where(Ticket.thread_id == thread_id))
            return await self._view(session, ticket) if ticket else None

    async def active_for(self, person_id: int) -> TicketView | None:
        """Asked for every message a person writes."""
        async with self._sessions() as session:
            ticket = await session.scalar(_ACTIVE_FOR, {"person_id": person_id})
            return await self._view(session, ticket) if ticket else None

    async def of_person(self, person_id: int) -> list[TicketView]:
        async with self._sessions() as session:
            tickets = await session.scalars(select(Ticket).where(Ticket.person_id == person_id).order_by(Ticket.id))
            return [await self._view(session, ticket) for ticket in tickets]

    async def active(self) -> list[TicketView]:
        async with self._sessions() as session:
            tickets = await session.scalars(select(Ticket).where(Ticket.state.in_(ACTIVE)).order_by(Ticket.id))
            return [await self._view(session, ticket) for ticket in tickets]

    async def previous_counsellor(self, person_id: int) -> str | None:
        async with self._sessions() as session:
            return await session.scalar(
                select(Ticket.counsellor).where(Ticket.person_id == person_id).order_by(Ticket.id.desc()).limit(1)
            )

    async def load(self) -> dict[str, int]:
        """Active chats per counsellor."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(Ticket.counsellor, func.count()).where(Ticket.state.in_(ACTIVE)).group_by(Ticket.counsellor)
            )
            return {name: count for name, count in rows}

    async def conversation(self, person_id: int, limit: int) -> list[Message]:
        """The person's latest messages, oldest first."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Message)
                .join(Conversation, Message.conversation_id == Conversation.id)
                .where(Conversation.person_id == person_id)
                .order_by(Message.id.desc())
                .limit(limit)
            )
            return list(reversed(list(rows)))

    # Changing ----------------------------------------------------------------------

    async def create(self, new: NewTicket, now: datetime, outbox: Iterable[Out] = ()) -> TicketView:
        """A new active ticket with its messages; should the person already have one (a
        double tap, two workers at once), that one, and nothing is queued."""
        try:
            return await self._create(new, now, outbox)
        except IntegrityError:
            existing = await self.active_for(new.person_id)
            if existing is None:
                raise
            return existing

    async def _create(self, new: NewTicket, now: datetime, outbox: Iterable[Out]) -> TicketView:
        async with self._sessions.begin() as session:
            ticket = Ticket(
                person_id=new.person_id, reason=new.reason, urgent=new.urgent, topic=new.topic, language=new.language,
                consent=new.consent, consent_wording=new.consent_wording, consent_at=new.consent_at,
                counsellor=new.counsellor, state=State.OPEN, created_at=now, announced_at=new.announced_at,
                crisis_category=new.crisis_category, trigger_message_id=new.trigger_message_id,
            )
            session.add(ticket)
            await session.flush()
            # The card's rows name the ticket only now that it has an id.
            session.add_all(self._rows((replace(out, ticket_id=ticket.id) for out in outbox), now))
            return await self._view(session, ticket)

    async def change(
        self, ticket_id: int, now: datetime, outbox: Iterable[Out] = (), expect_state: Sequence[str] = ACTIVE, **values
    ) -> bool:
        """Set values on a ticket still in one of the expected states, and queue the
        messages; False (and nothing done) if another change came first."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(Ticket).where(Ticket.id == ticket_id, Ticket.state.in_(expect_state)).values(**values)
            )
            if result.rowcount != 1:
                return False
            session.add_all(self._rows(outbox, now))
            return True

    async def queue(self, outbox: Iterable[Out], now: datetime, message: Message | None = None) -> None:
        """Queue messages, with the stored message they relay (a counsellor's words)."""
        async with self._sessions.begin() as session:
            if message is not None:
                session.add(message)
            session.add_all(self._rows(outbox, now))

    async def queue_monthly_report(self, month: str, now: datetime) -> bool:
        """Queues the month's report for the staff group unless it was queued before (by
        this worker before a restart, or by another): False then, and nothing queued."""
        try:
            async with self._sessions.begin() as session:
                session.add(MonthlyReport(month=month, queued_at=now))
                await session.flush()  # the month's key decides, before the outbox row
                session.add_all(self._rows([Out(Target.STAFF, month, kind=Kind.REPORT)], now))
            return True
        except IntegrityError:
            return False

    async def message_text(self, message_id: int | None) -> str | None:
        if message_id is None:
            return None
        async with self._sessions() as session:
            return await session.scalar(select(Message.text).where(Message.id == message_id))

    async def conversation_id(self, person_id: int) -> int | None:
        async with self._sessions() as session:
            return await session.scalar(select(Conversation.id).where(Conversation.person_id == person_id))

    # The outbox --------------------------------------------------------------------

    async def pending(self, target: str, channel: str | None = None, chat_id: str | None = None,
                      limit: int = 200) -> list[Pending]:
        """Unsent rows in the order they were written, those waiting out a failure too
        (they hold back their chat's later rows)."""
        if channel is not None and chat_id is not None:  # one chat: after each message, so built once
            query, params = _CHAT_PENDING, {"target": target, "channel": channel, "chat_id": chat_id, "limit": limit}
        else:
            query = select(*_outbox.c).where(_outbox.c.target == target, _outbox.c.failed.is_(None)) \
                .order_by(_outbox.c.id).limit(limit)
            if channel is not None:
                query = query.where(_outbox.c.channel == channel)
            if chat_id is not None:
                query = query.where(_outbox.c.chat_id == chat_id)
            params = {}
        async with self._engine.connect() as connection:
            rows = await connection.execute(query, params)
            return [
                Pending(row.id, Target(row.target), Kind(row.kind), row.text,
                        tuple(tuple(pair) for pair in json.loads(row.buttons)) if row.buttons else (),
                        row.notify, row.ticket_id, row.thread_id, row.channel, row.chat_id, row.attempts,
                        local(row.not_before) if row.not_before else None, row.parts_sent or 0,
                        row.lease_owner, local(row.lease_until) if row.lease_until else None)
                for row in rows
            ]

    async def claim(self, ids: Sequence[int], owner: str, now: datetime, until: datetime) -> dict[int, int]:
        """Lease these rows to one worker until `until`, if they are still to be sent now;
        {id: parts already sent} of those it holds. Not taken: rows sent meanwhile (gone),
        put off (not due) or given up, and rows another worker holds (an unexpired lease).
        One UPDATE does it, so two workers cannot both win: SQLite runs writers one at a
        time, and PostgreSQL checks the condition again once the other's row lock is released."""
        async with self._engine.begin() as connection:
            claimed = await connection.execute(_CLAIM, {"ids": list(ids), "owner": owner, "now": now, "until": until})
            return {row_id: parts_sent or 0 for row_id, parts_sent in claimed}

    async def part_sent(self, row_id: int, parts_sent: int) -> None:
        async with self._sessions.begin() as session:
            await session.execute(update(Outgoing).where(Outgoing.id == row_id).values(parts_sent=parts_sent))

    async def sent(self, ids: Sequence[int]) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(_SENT, {"ids": list(ids)})

    async def later(self, ids: Sequence[int], not_before: datetime) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(Outgoing).where(Outgoing.id.in_(ids))
                .values(not_before=not_before, attempts=Outgoing.attempts + 1, lease_owner=None, lease_until=None)
            )

    async def undeliverable(self, ids: Sequence[int], reason: str) -> None:
        async with self._sessions.begin() as session:
            await session.execute(update(Outgoing).where(Outgoing.id.in_(ids)).values(failed=reason))

    async def set_thread(self, ticket_id: int, thread_id: int | None) -> None:
        async with self._sessions.begin() as session:
            await session.execute(update(Ticket).where(Ticket.id == ticket_id).values(thread_id=thread_id))

    # Privacy -----------------------------------------------------------------------

    async def person_data(self, person_id: int) -> PersonData | None:
        async with self._sessions() as session:
            person = await session.get(Person, person_id)
            if person is None:
                return None
            conversation = await session.scalar(select(Conversation).where(Conversation.person_id == person_id))
            messages = await session.scalars(
                select(Message).where(Message.conversation_id == conversation.id).order_by(Message.id)
            ) if conversation else []
            tickets = await session.scalars(select(Ticket).where(Ticket.person_id == person_id).order_by(Ticket.id))
            return PersonData(
                first_name=person.first_name, language=person.language_choice or person.language_last,
                age_group=person.age_group, age_band=conversation.age_band if conversation else None,
                since=person.created_at, messages=list(messages), tickets=list(tickets), desk=person.desk,
            )

    async def purge(self, before: datetime) -> dict[str, int]:
        """Keep nothing longer than needed: messages older than `before`, tickets closed
        before it (with anything still queued for them), and people inactive since
        before it who have no open chat. Returns what was deleted, for the log."""
        async with self._sessions.begin() as session:
            old_tickets = select(Ticket.id).where(Ticket.state == State.CLOSED, Ticket.closed_at < before)
            outbox = await session.execute(delete(Outgoing).where(
                Outgoing.ticket_id.in_(old_tickets) | (Outgoing.created_at < before)))
            tickets = await session.execute(delete(Ticket).where(Ticket.id.in_(old_tickets)))
            messages = await session.execute(delete(Message).where(Message.created_at < before))
            active = select(Ticket.person_id).where(Ticket.state.in_(ACTIVE), Ticket.person_id.is_not(None))
            inactive = select(Conversation.person_id).where(Conversation.updated_at < before)
            people_ids = list(await session.scalars(
                select(Person.id).where(Person.id.in_(inactive), Person.id.not_in(active), Person.created_at < before)))
            await session.execute(update(Ticket).where(Ticket.person_id.in_(people_ids)).values(person_id=None))
            await session.execute(delete(Reminder).where(Reminder.person_id.in_(people_ids)))
            await session.execute(delete(Conversation).where(Conversation.person_id.in_(people_ids)))
            await session.execute(delete(Person).where(Person.id.in_(people_ids)))
            return {"messages": messages.rowcount, "tickets": tickets.rowcount, "outbox": outbox.rowcount,
                    "people": len(people_ids)}

    async def forget(self, person_id: int, now: datetime, outbox: Iterable[Out] = ()) -> None:
        """Delete the person, their conversation, messages and reminders and anything
        queued for them; close their active tickets and keep those without the person."""
        async with self._sessions.begin() as session:
            person = await session.get(Person, person_id)
            if person is None:
                return
            # Everything still queued about their chats goes too (their words, cards with
            # their name, transcripts); the counsellors' close notes are cleared.
            ticket_ids = select(Ticket.id).where(Ticket.person_id == person_id)
            await session.execute(delete(Outgoing).where(Outgoing.ticket_id.in_(ticket_ids)))
            await session.execute(
                update(Ticket).where(Ticket.person_id == person_id, Ticket.state.in_(ACTIVE))
                .values(state=State.CLOSED, closed_at=now)
            )
            await session.execute(
                update(Ticket).where(Ticket.person_id == person_id)
                .values(person_id=None, trigger_message_id=None, outcome="deleted by the person"))
            await session.execute(
                delete(Outgoing).where(Outgoing.channel == person.channel, Outgoing.chat_id == person.external_id)
            )
            conversation_ids = select(Conversation.id).where(Conversation.person_id == person_id)
            await session.execute(delete(Message).where(Message.conversation_id.in_(conversation_ids)))
            await session.execute(delete(Conversation).where(Conversation.person_id == person_id))
            await session.execute(delete(Reminder).where(Reminder.person_id == person_id))
            await session.delete(person)
            session.add_all(self._rows(outbox, now))
