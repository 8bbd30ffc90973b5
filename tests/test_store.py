"""Migrations and storage on a real SQLite and a real PostgreSQL database."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from bot.store import upgrade
from conftest import say

# Each test runs on SQLite and on a real PostgreSQL (tests/postgres.py).
pytestmark = pytest.mark.both_databases


async def test_migrations_create_the_schema_on_a_new_database(tmp_path):
    path = tmp_path / "nested" / "new.sqlite3"
    await upgrade(f"sqlite+aiosqlite:///{path}")
    await upgrade(f"sqlite+aiosqlite:///{path}")  # running again changes nothing
    tables = {row[0] for row in sqlite3.connect(path).execute("select name from sqlite_master where type='table'")}
    assert {"people", "conversations", "messages", "alembic_version"} <= tables


async def test_the_migrations_build_exactly_the_schema_the_models_describe(database_url):
    """On both databases: every table, column, type, length and index of bot/store/models.py
    exists as migrated, so a length limit PostgreSQL enforces is the one the code knows."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.store.db import connect
    from bot.store.models import Base

    await upgrade(database_url)
    engine, _ = connect(database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}),
                                              Base.metadata))
    finally:
        await engine.dispose()
    assert differences == []


async def test_workers_starting_together_on_a_new_database_migrate_it_once(database_url):
    import asyncio
    import sys
    from pathlib import Path

    from sqlalchemy import text

    from bot.store.db import connect

    # A deploy starts several worker processes at once; each migrates at start.
    migrate = f"from bot.store.db import upgrade_sync; upgrade_sync({database_url!r})"
    workers = [await asyncio.create_subprocess_exec(sys.executable, "-c", migrate, cwd=Path(__file__).parent.parent,
                                                    stderr=asyncio.subprocess.PIPE) for _ in range(3)]
    for worker in workers:
        _, error = await worker.communicate()
        assert worker.returncode == 0, error.decode()[-400:]
    engine, _ = connect(database_url)
    async with engine.connect() as connection:
        assert len((await connection.execute(text("SELECT version_num FROM alembic_version"))).all()) == 1
    await engine.dispose()


async def test_incoming_message_is_stored_with_what_was_understood(core, store):
    await core.handle(say("hvornår er sidste frist for at søge gymnasiet"))
    incoming, outgoing = await store.messages("test", "u1")
    assert (incoming.direction, incoming.language, incoming.topic) == ("in", "da", "admission")
    assert incoming.intent.startswith("admission_") and 0 < incoming.confidence <= 1
    assert outgoing.direction == "out" and outgoing.text


async def test_people_are_kept_apart_per_channel_and_user(core, store):
    await core.handle(say("hej", user="a"))
    await core.handle(say("hello", user="b"))
    assert len(await store.messages("test", "a")) == 2
    assert len(await store.messages("test", "b")) == 2
    assert await store.messages("console", "a") == []


async def test_old_messages_closed_tickets_and_inactive_people_are_purged(logic_core, clock):
    from sqlalchemy import func, select

    from bot.store.models import Message, Person, Ticket
    from conftest import EXAMPLE_SITE, press
    from test_handoff import ticket_of

    long_ago = clock.moment
    await logic_core.handle(say("hej", user="old"))
    await logic_core.handle(press("person", user="old"))
    await logic_core.handle(press("agegroup:18_plus", user="old"))
    await logic_core.handle(press("consent:no", user="old"))
    ticket = await ticket_of(logic_core, user="old")
    await logic_core.handoff.staff.close(EXAMPLE_SITE.counsellor("heidi"), ticket.id, "answered")
    clock.moment = long_ago + timedelta(days=400)
    await logic_core.handle(say("hej igen", user="recent"))

    deleted = await logic_core.handoff.tickets.purge(clock.moment - timedelta(days=365))

    assert deleted["people"] == 1 and deleted["tickets"] == 1
    async with logic_core.store.sessions() as session:
        assert [p.external_id for p in await session.scalars(select(Person))] == ["recent"]
        assert await session.scalar(select(func.count()).select_from(Ticket)) == 0
        assert [m.text for m in await session.scalars(select(Message).where(Message.direction == "in"))] == ["hej igen"]


async def test_a_long_closing_note_fits_the_outcome_column_on_every_database(logic_core):
    from sqlalchemy import select

    from bot.store.models import Ticket
    from conftest import EXAMPLE_SITE, press
    from test_handoff import ticket_of

    await logic_core.handle(press("person"))
    await logic_core.handle(press("agegroup:18_plus"))
    await logic_core.handle(press("consent:no"))
    ticket = await ticket_of(logic_core)
    await logic_core.handoff.staff.close_command(EXAMPLE_SITE.counsellor("heidi"), ticket.id, "talte om EUX og læreplads " * 20)
    async with logic_core.store.sessions() as session:
        outcome = await session.scalar(select(Ticket.outcome))
    assert len(outcome) <= 200 and outcome.endswith("(heidi)")  # PostgreSQL's varchar(200) would refuse more


async def test_the_counsellor_named_a_moment_ago_is_remembered_on_every_database(logic_core, scripted, clock):
    """The time the counsellor line was last said comes back from either database as the
    same moment (PostgreSQL hands it back in UTC), so "said recently" holds on both."""
    scripted.intents.update({"hvad kræver hf": "admission_gymnasium", "hvornår er fristen": "admission_deadline"})
    assert "Heidi Jensen" in (await logic_core.handle(say("hvad kræver hf")))[0].text
    clock.moment += timedelta(minutes=29)
    assert "Heidi Jensen" not in (await logic_core.handle(say("hvornår er fristen")))[0].text
    clock.moment += timedelta(minutes=2)  # 31 minutes after she was named
    assert "Heidi Jensen" in (await logic_core.handle(say("hvornår er fristen")))[0].text
