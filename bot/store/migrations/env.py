"""Alembic environment: runs migrations over the async engine of DATABASE_URL."""

import asyncio

from alembic import context
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.store.models import Base

target_metadata = Base.metadata


# Several workers starting at once all migrate: on PostgreSQL the first takes this lock
# for its migration transaction and the others wait, then find the schema at head.
# (Found by the two-worker bench: the second worker's CREATE TABLE alembic_version
# failed and it stopped. SQLite: bot/store/db.py locks the file around the upgrade.)
MIGRATION_LOCK = 0x42726F656E4D  # "BroenM"; the leader lock is another key (bot/leader.py)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()


async def _run_online() -> None:
    engine = create_async_engine(context.config.get_main_option("sqlalchemy.url"))
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=context.config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
