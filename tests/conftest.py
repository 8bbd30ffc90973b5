"""Shared fixtures: one real Rasa server for the whole session, a fresh SQLite per test,
the real crisis stage, and a scripted understander for tests of pure logic."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
import pytest_asyncio

from bot.clock import COPENHAGEN, FixedClock
from bot.core import Core
from bot.handoff import Handoff
from bot.i18n import staff_translations, translations
from bot.replies import Incoming, Reply
from bot.site import load_site
from bot.store import Store, connect, upgrade
from bot.store.tickets import Tickets
from nlu.client import NluClient
from nlu.language import LanguageDetector
from nlu.screening import CrisisScreen
from nlu.server import NluServer
from nlu.topics import FALLBACK_INTENT, topic_of
from nlu.understanding import Understander, Understanding
from postgres import PostgresServer

# A Thursday afternoon, before the open guidance opens.
THURSDAY = datetime(2026, 11, 19, 14, 30, tzinfo=COPENHAGEN)


@pytest.fixture(scope="session")
def nlu_endpoint() -> Iterator[tuple[str, str | None]]:
    """(url, token) of a real NLU server: NLU_URL if given, else one started for the session."""
    if os.environ.get("NLU_URL"):
        yield os.environ["NLU_URL"], os.environ.get("NLU_TOKEN")
        return
    server = NluServer()
    server.start()
    try:
        server.wait_ready(timeout=180)
        yield server.url, server.token
    finally:
        server.stop()


@pytest.fixture(scope="session")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.fixture(scope="session")
def screen() -> CrisisScreen:
    return CrisisScreen.load()


@pytest_asyncio.fixture(loop_scope="session")
async def nlu_client(nlu_endpoint) -> AsyncIterator[NluClient]:
    client = NluClient(*nlu_endpoint, timeout=10.0)
    yield client
    await client.aclose()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One real PostgreSQL server for the session, started here (see tests/postgres.py)."""
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def database_backend(request) -> str:
    """sqlite, or for modules marked `both_databases` each of sqlite and postgres."""
    return getattr(request, "param", "sqlite")


def pytest_generate_tests(metafunc) -> None:
    if metafunc.definition.get_closest_marker("both_databases") and "database_backend" in metafunc.fixturenames:
        metafunc.parametrize("database_backend", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def database_url(tmp_path: Path, database_backend: str, request) -> str:
    """A fresh, empty database for each test."""
    if database_backend == "postgres":
        return request.getfixturevalue("postgres_server").new_database()
    return f"sqlite+aiosqlite:///{tmp_path / 'broen.sqlite3'}"


@pytest_asyncio.fixture(loop_scope="session")
async def store(database_url) -> AsyncIterator[Store]:
    await upgrade(database_url)
    engine, sessions = connect(database_url)
    yield Store(sessions)
    await engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(THURSDAY)


EXAMPLE_SITE = load_site(Path(__file__).resolve().parent.parent / "sites" / "example.yml")


def make_core(store: Store, understander, screen: CrisisScreen, detector: LanguageDetector, clock, site=None,
              chat_handoff: bool = True) -> Core:
    site = site or EXAMPLE_SITE
    return Core(store, understander, detector, clock, site, screen, Handoff(Tickets(store.sessions), site, clock),
                chat_handoff=chat_handoff)


@pytest.fixture
def core(store, nlu_client, screen, detector, clock) -> Core:
    return make_core(store, Understander(nlu_client), screen, detector, clock)


@pytest_asyncio.fixture(loop_scope="session")
async def offline_core(store, screen, detector, clock) -> AsyncIterator[Core]:
    """A core whose NLU service is down (nothing listens on the port)."""
    from nlu.server import free_port

    client = NluClient(f"http://127.0.0.1:{free_port()}", "x", timeout=0.5)
    yield make_core(store, Understander(client), screen, detector, clock)
    await client.aclose()


class ScriptedUnderstander(Understander):
    """Stands in for the NLU service where a test is about the bot's own logic: the
    scripted texts get their intent, anything else is not understood. (The splitting of
    a message into questions is the real one.)"""

    def __init__(self, intents: dict[str, str] | None = None) -> None:  # no client: no service
        self.intents = {text.casefold(): intent for text, intent in (intents or {}).items()}
        # Texts the model reads unsure: their likeliest intents with confidences, likeliest first.
        self.unsure: dict[str, tuple[tuple[str, float], ...]] = {}
        self.asked: list[str] = []

    async def understand(self, text: str) -> Understanding:
        self.asked.append(text)
        key = text.strip().casefold()
        if key in self.unsure:
            ranking = self.unsure[key]
            return Understanding(ranking[0][0], topic_of(ranking[0][0]), ranking[0][1], "nlu", ranking=ranking)
        intent = self.intents.get(key, FALLBACK_INTENT)
        return Understanding(intent, topic_of(intent), 0.9 if intent != FALLBACK_INTENT else 0.2, "nlu")


@pytest.fixture
def scripted() -> ScriptedUnderstander:
    return ScriptedUnderstander()


@pytest.fixture
def logic_core(store, scripted, screen, detector, clock) -> Core:
    """The real core, crisis stage and database, with a scripted understander: no Rasa."""
    return make_core(store, scripted, screen, detector, clock)


def scripted_core(topics: dict[str, str]):
    """A `core` fixture for a module about the bot's own logic (answers, handoff), not
    about understanding: the logic core, with the scripted understander reading each text
    in `topics` as its intent (as the real model reads them; test_core.py and `make
    nlu-eval` test the reading itself)."""

    @pytest.fixture
    def core(logic_core, scripted):
        scripted.intents.update({text.casefold(): intent for text, intent in topics.items()})
        return logic_core

    return core


def say(text: str, user: str = "u1", kind: str = "text", client_language: str | None = None,
        first_name: str | None = None) -> Incoming:
    return Incoming(channel="test", user_id=user, kind=kind, text=text, client_language=client_language,
                    first_name=first_name)


def press(data: str, user: str = "u1") -> Incoming:
    return say(data, user=user, kind="button")


class RecordingOutlet:
    """Stands in for a channel at core level (Telegram's own tests speak real HTTP):
    records what would be sent, and can fail the way Telegram fails."""

    def __init__(self) -> None:
        self.person: list[tuple[str, str, tuple]] = []
        self.staff: list[dict] = []
        self.topics: list[str] = []
        self.closed: list[int] = []
        self.deleted: list[int] = []
        self.files: list[tuple[int | None, object]] = []  # (thread, Attachment)
        self.failures: list[Exception] = []  # raised, one per send, before sending works again

    def _maybe_fail(self) -> None:
        if self.failures:
            raise self.failures.pop(0)

    async def to_person(self, channel: str, chat_id: str, text: str, buttons: tuple) -> None:
        self._maybe_fail()
        self.person.append((chat_id, text, buttons))

    async def to_staff(self, thread_id, text, buttons, notify, ticket_id=None) -> None:
        self._maybe_fail()
        self.staff.append({"thread": thread_id, "text": text, "buttons": buttons, "notify": notify, "ticket": ticket_id})

    async def open_topic(self, title: str) -> int:
        self.topics.append(title)
        return 100 + len(self.topics)

    async def close_topic(self, thread_id: int) -> None:
        self.closed.append(thread_id)

    async def delete_topic(self, thread_id: int) -> None:
        self.deleted.append(thread_id)

    async def send_file(self, thread_id, attachment) -> None:
        self._maybe_fail()
        self.files.append((thread_id, attachment))


def button_data(replies: list[Reply]) -> list[str]:
    return [button.data for reply in replies for button in reply.buttons]


def gettext(lang: str, msgid: str) -> str:
    """A text as the user sees it in their language."""
    return translations(lang).gettext(msgid)


def staff_gettext(msgid: str) -> str:
    """A text as counsellors see it in the staff group (Danish)."""
    return staff_translations("da").gettext(msgid)
