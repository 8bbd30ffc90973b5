"""Engine creation and migrations (Alembic, run at start so a new database just works)."""

from __future__ import annotations

import asyncio
from pathlib import Path

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
    command.upgrade(_alembic_config(url), "head")


async def upgrade(url: str) -> None:
    # Alembic's async env runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(upgrade_sync, url)


# SQLite: write-ahead logging lets chats be read while another is written, NORMAL
# syncs at checkpoints rather than on every commit (still safe against a crash of the
# process; WAL may lose the last commits only on a power cut), and a writer waits for
# the lock instead of failing at once.
SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=10000")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def connect(url: str) -> tuple[AsyncEngine, async_sessionmaker]:
    _ensure_sqlite_folder(url)
    if make_url(url).get_backend_name() == "sqlite":
        # One connection: SQLite has one writer at a time anyway, and writers that wait
        # in SQLite's busy handler sleep in steps of up to 100 ms, while waiting here for
        # the connection is an asyncio queue. (Measured: 20 new chats/s went from a growing
        # queue to steady; see README, "Load".)
        engine = create_async_engine(url, pool_size=1, max_overflow=0, pool_timeout=120)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        engine = create_async_engine(url)
    return engine, async_sessionmaker(engine, expire_on_commit=False)
