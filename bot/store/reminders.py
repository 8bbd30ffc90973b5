"""Reminders people asked for: stored with their choice, moved into the outbox when due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.clock import local
from bot.store.models import Outgoing, Person, Reminder
from bot.store.tickets import Out, outgoing_values


class ReminderKind(StrEnum):
    OPENING = "opening"  # a desk's next opening
    DEADLINE = "deadline"  # the application deadline (1 March)


@dataclass(frozen=True)
class Planned:
    """A reminder to store: what it is about and when it goes."""

    kind: ReminderKind
    event_at: datetime  # the opening's start, or the deadline's day at midnight
    due_at: datetime
    desk: str | None = None
    for_child: bool = False


@dataclass(frozen=True)
class DueReminder:
    """A stored reminder, with what sending it needs: whom, where, in which language."""

    id: int
    planned: Planned
    channel: str
    chat_id: str
    language: str | None


class ReminderStore:
    def __init__(self, sessions: async_sessionmaker) -> None:
        self._sessions = sessions

    async def add(self, person_id: int, planned: list[Planned], now: datetime) -> None:
        """Stores the reminders not stored before: a second press of the same button adds nothing."""
        async with self._sessions.begin() as session:
            kept = {(row.kind, row.desk, local(row.due_at)) for row in await session.scalars(
                select(Reminder).where(Reminder.person_id == person_id))}
            session.add_all(
                Reminder(person_id=person_id, kind=item.kind, desk=item.desk, event_at=item.event_at,
                         due_at=item.due_at, for_child=item.for_child, created_at=now)
                for item in planned if (item.kind, item.desk, item.due_at) not in kept)

    async def of_person(self, person_id: int) -> list[Planned]:
        """The person's reminders still to come, soonest first (for /mydata)."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(Reminder).where(Reminder.person_id == person_id).order_by(Reminder.due_at, Reminder.id))
            return [_planned(row) for row in rows]

    async def stop(self, person_id: int) -> int:
        """Deletes all of the person's reminders; how many there were."""
        async with self._sessions.begin() as session:
            result = await session.execute(delete(Reminder).where(Reminder.person_id == person_id))
            return result.rowcount

    async def due(self, now: datetime, limit: int = 200) -> list[DueReminder]:
        async with self._sessions() as session:
            rows = await session.execute(
                select(Reminder, Person.channel, Person.external_id, Person.language_choice, Person.language_last)
                .join(Person, Reminder.person_id == Person.id)
                .where(Reminder.due_at <= now).order_by(Reminder.due_at, Reminder.id).limit(limit))
            return [DueReminder(row.id, _planned(row), channel, chat_id, choice or last)
                    for row, channel, chat_id, choice, last in rows]

    async def done(self, reminder_id: int, out: Out | None, now: datetime) -> bool:
        """Deletes a due reminder and queues its message (None: nothing to send any more),
        in one transaction; False if it was gone already (stopped, or sent by another worker)."""
        async with self._sessions.begin() as session:
            result = await session.execute(delete(Reminder).where(Reminder.id == reminder_id))
            if result.rowcount != 1:
                return False
            if out is not None:
                session.add(Outgoing(**outgoing_values(out, now)))
            return True


def _planned(row: Reminder) -> Planned:
    return Planned(ReminderKind(row.kind), local(row.event_at), local(row.due_at), row.desk, row.for_child)
