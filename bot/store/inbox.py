"""The inbox: updates stored before Telegram is told they arrived (see models.InboxUpdate)."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, async_sessionmaker

from bot.store.db import engine_of
from bot.store.models import InboxUpdate

# Telegram repeats an unconfirmed update for up to 24 hours; ids are kept a while longer.
KEEP_HANDLED = timedelta(days=2)
# How long an update waits for an earlier one of its chat at another worker.
WAIT_FOR_EARLIER = 30.0


# Built once: every update is stored and marked handled (see repository.py).
_inbox = InboxUpdate.__table__
_STORE = insert(_inbox)
_HANDLED = update(_inbox).where(_inbox.c.update_id == bindparam("update"), _inbox.c.handled_at.is_(None)) \
    .values(handled_at=bindparam("now"), payload=None)


class Inbox:
    def __init__(self, sessions: async_sessionmaker) -> None:
        self._sessions = sessions
        self._engine = engine_of(sessions)
        # Updates whose handling already marked them handled in its own transaction.
        self._marked: set[int] = set()

    async def store(self, update_id: int, payload: str, now: datetime, chat_key: str | None = None) -> bool:
        """Commit the update; False when it was stored before (Telegram sent it again)."""
        try:
            async with self._engine.begin() as connection:
                await connection.execute(_STORE, {"update_id": update_id, "payload": payload, "received_at": now,
                                               "chat_key": chat_key})
        except IntegrityError:
            return False
        return True

    @staticmethod
    async def mark_handled(connection: AsyncConnection, update_id: int, now: datetime) -> None:
        """Marks an update done with, in a transaction that may do more (Store.answer):
        the payload (the person's words) goes, the id stays to drop repeats."""
        await connection.execute(_HANDLED, {"update": update_id, "now": now})

    def noted_handled(self, update_id: int) -> None:
        """`mark_handled` was committed for this update: `handled` need not write again."""
        self._marked.add(update_id)

    async def handled(self, update_id: int, now: datetime) -> None:
        """Done with (see `mark_handled`), unless that was committed already."""
        if update_id in self._marked:
            self._marked.discard(update_id)
            return
        async with self._engine.begin() as connection:
            await self.mark_handled(connection, update_id, now)

    async def wait_turn(self, update_id: int, chat_key: str | None, timeout: float = WAIT_FOR_EARLIER) -> bool:
        """Wait until the chat's earlier updates are handled (by any worker); False if
        that took longer than `timeout` (a worker died holding one: it is replayed at
        the next start, and this one goes ahead rather than wait for ever)."""
        if chat_key is None:
            return True
        deadline = time.monotonic() + timeout
        while True:
            async with self._sessions() as session:
                earlier = await session.scalar(
                    select(InboxUpdate.id).where(InboxUpdate.chat_key == chat_key, InboxUpdate.update_id < update_id,
                                                 InboxUpdate.handled_at.is_(None)).limit(1))
            if earlier is None:
                return True
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.05)

    async def unhandled(self) -> list[tuple[int, str]]:
        """Updates stored but never handled (the process stopped in between), oldest first."""
        async with self._sessions() as session:
            rows = await session.execute(
                select(InboxUpdate.update_id, InboxUpdate.payload)
                .where(InboxUpdate.handled_at.is_(None), InboxUpdate.payload.is_not(None))
                .order_by(InboxUpdate.update_id)
            )
            return [(row.update_id, row.payload) for row in rows]

    async def purge(self, now: datetime) -> int:
        async with self._sessions.begin() as session:
            result = await session.execute(delete(InboxUpdate).where(InboxUpdate.handled_at < now - KEEP_HANDLED))
            return result.rowcount
