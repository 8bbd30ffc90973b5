"""One worker among several runs what must run once: the minute tick (announcing
waiting chats, the morning summary) and the daily purge.

On PostgreSQL the leader holds a session-level advisory lock on a connection of its
own; should that worker die, its connection closes, the lock goes with it, and another
worker takes over at its next try. SQLite serves one process, which always leads.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

# Any fixed number; the same in every worker of a deployment ("Broen" in ASCII).
LOCK_KEY = 0x42726F656E


class Leadership:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._connection: AsyncConnection | None = None
        self._leading = False
        # The tick and the purge ask at the same moment; one connection serves one at a time.
        self._asking = asyncio.Lock()

    async def leading(self) -> bool:
        """Whether this worker leads now; tries to become the leader if nobody does."""
        if self.engine.dialect.name != "postgresql":
            return True
        async with self._asking:
            return await self._try_to_lead()

    async def _try_to_lead(self) -> bool:
        if self._leading:
            return True
        try:
            if self._connection is None:
                self._connection = await self.engine.connect()
            self._leading = bool(await self._connection.scalar(text("SELECT pg_try_advisory_lock(:key)"),
                                                               {"key": LOCK_KEY}))
            await self._connection.commit()
        except Exception as error:  # the database is away: not leading; try again next time
            log.warning("could not try for the leader lock: %s", type(error).__name__)
            await self._drop()
            return False
        if self._leading:
            log.info("this worker runs the minute tick and the daily purge")
        return self._leading

    async def _drop(self) -> None:
        """After an error the connection may be mid-transaction: it is discarded, never
        handed back to the pool, where the next session would find it unusable."""
        if self._connection is not None:
            try:
                await self._connection.invalidate()
                await self._connection.close()
            except Exception:  # the database is away
                pass
        self._connection, self._leading = None, False

    async def close(self) -> None:
        """Steps down (at shutdown): the lock is released before the connection goes back
        to the pool, where it would otherwise stay held."""
        if self._connection is not None:
            try:
                if self._leading:
                    await self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
                await self._connection.close()
            except Exception:  # the database is away: so is the lock
                pass
        self._connection, self._leading = None, False
