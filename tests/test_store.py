"""Migrations and storage on a real SQLite database."""

from __future__ import annotations

import sqlite3

from bot.store import upgrade
from conftest import say


async def test_migrations_create_the_schema_on_a_new_database(tmp_path):
    path = tmp_path / "nested" / "new.sqlite3"
    await upgrade(f"sqlite+aiosqlite:///{path}")
    await upgrade(f"sqlite+aiosqlite:///{path}")  # running again changes nothing
    tables = {row[0] for row in sqlite3.connect(path).execute("select name from sqlite_master where type='table'")}
    assert {"people", "conversations", "messages", "alembic_version"} <= tables


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
