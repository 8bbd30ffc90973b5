"""Engine creation and migrations (Alembic, run at start so a new database just works)."""

from __future__ import annotations

import asyncio
import fcntl
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import aiosqlite
from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

MIGRATIONS = Path(__file__).with_name("migrations")


def _ensure_sqlite_folder(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def _alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_sync(url: str) -> None:
    _ensure_sqlite_folder(url)
    with _sqlite_file_locked(url):
        command.upgrade(_alembic_config(url), "head")


@contextmanager
def _sqlite_file_locked(url: str) -> Iterator[None]:
    """Upgrades of one SQLite file one after another (two processes started at once):
    an exclusive flock on the file itself, which SQLite's own (fcntl) locks do not see.
    PostgreSQL serializes them in the migration (migrations/env.py)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        yield
        return
    with open(parsed.database, "ab") as database_file:
        fcntl.flock(database_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(database_file, fcntl.LOCK_UN)


async def upgrade(url: str) -> None:
    # Alembic's async env runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(upgrade_sync, url)


# SQLite: write-ahead logging lets chats be read while another is written, NORMAL
# syncs at checkpoints rather than on every commit (still safe against a crash of the
# process; WAL may lose the last commits only on a power cut). A statement never waits
# for a lock on the event loop (busy_timeout 0); see LoopSqlite.
SQLITE_PRAGMAS = ("PRAGMA busy_timeout=0", "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
# How long a statement that met another process's lock waits for it (in aiosqlite's thread).
SQLITE_WAIT_MS = 10_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


class LoopSqlite(aiosqlite.Connection):
    """aiosqlite's connection, running each call on the event loop rather than handing it
    to its thread and back. On a local file in WAL mode a statement takes microseconds,
    while the hand-over cost about 0.2 ms of CPU per call, six calls per query: most of a
    message's CPU (measured: 73 ms of CPU per message through the whole Telegram path,
    45-52 ms with this; see README, "Load"). A statement that finds the database locked by
    another process (a backup, a second bot on the same file) fails at once here
    (busy_timeout 0) and is run again in aiosqlite's thread, which waits for the lock,
    so the event loop never stops for it. Safe to run again: SQLite changes nothing when
    it reports SQLITE_BUSY. (A subclass of a pinned aiosqlite; tests/test_delivery.py
    covers the locked case.)"""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._thread.daemon = True  # as SQLAlchemy sets it for its own aiosqlite connections

    async def _execute(self, fn, *args, **kwargs):
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        try:
            return fn(*args, **kwargs)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                raise
        return await super()._execute(self._waiting, partial(fn, *args, **kwargs))

    def _waiting(self, call: Callable[[], object]) -> object:
        self._conn.execute(f"PRAGMA busy_timeout={SQLITE_WAIT_MS}")
        try:
            return call()
        finally:
            self._conn.execute("PRAGMA busy_timeout=0")


def _sqlite_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    args, kwargs = parsed.get_dialect()().create_connect_args(parsed)

    async def loop_connection() -> LoopSqlite:
        return await LoopSqlite(partial(sqlite3.connect, *args, **kwargs))

    # One connection: SQLite has one writer at a time anyway, and waiting here for the
    # connection is an asyncio queue. (Measured: 20 new chats/s went from a growing queue
    # to steady; see README, "Load".)
    engine = create_async_engine(url, pool_size=1, max_overflow=0, pool_timeout=120, async_creator=loop_connection)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def engine_of(sessions: async_sessionmaker) -> AsyncEngine:
    """The engine behind `connect`'s sessions: for statements that need no ORM session
    (the hot path, bot/store/repository.py) and for the leader's own connection."""
    return sessions.kw["bind"]


def connect(url: str) -> tuple[AsyncEngine, async_sessionmaker]:
    _ensure_sqlite_folder(url)
    engine = _sqlite_engine(url) if make_url(url).get_backend_name() == "sqlite" else create_async_engine(url)
    return engine, async_sessionmaker(engine, expire_on_commit=False)
