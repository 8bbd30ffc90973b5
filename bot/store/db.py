"""Engine creation and migrations (Alembic, run at start so a new database just works)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
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


def connect(url: str) -> tuple[AsyncEngine, async_sessionmaker]:
    _ensure_sqlite_folder(url)
    engine = create_async_engine(url)
    return engine, async_sessionmaker(engine, expire_on_commit=False)
