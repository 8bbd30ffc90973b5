"""Wires the parts together for a running bot: database, NLU service, core."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.core import Core
from bot.handoff import Handoff
from bot.site import load_site
from bot.store import Store, connect, upgrade
from bot.store.tickets import Tickets
from flows.facts import facts
from flows.helplines import helplines
from nlu.language import LanguageDetector
from nlu.screening import CrisisScreen
from nlu.server import nlu_client, print_progress
from nlu.understanding import Understander


@asynccontextmanager
async def running_core(settings: Settings, clock: Clock | None = None, chat_handoff: bool = True) -> AsyncIterator[Core]:
    """The core and what it needs. `chat_handoff` False: no staff group reads handed-over
    chats (Telegram without STAFF_CHAT_ID), so Broen never promises one."""
    site = load_site(settings.site_file)  # a broken site file stops the start, with the reason
    facts()  # so do broken rule facts (flows/facts.yml)
    helplines()  # and broken help lines (flows/helplines.yml)
    screen = CrisisScreen.load()  # the crisis stage works even when the NLU service does not
    await upgrade(settings.database_url)
    engine, sessions = connect(settings.database_url)
    core: Core | None = None

    async def nlu_trouble(failures: int) -> None:
        if core is not None:
            await core.handoff.staff.nlu_down(failures)

    try:
        async with nlu_client(
            settings.nlu_url, settings.nlu_token, settings.nlu_timeout, settings.nlu_model, print_progress,
            must_start=False, on_trouble=nlu_trouble,
        ) as client:
            clock = clock or SystemClock()
            core = Core(
                store=Store(sessions),
                understander=Understander(client),
                detector=LanguageDetector(),
                clock=clock,
                site=site,
                screen=screen,
                handoff=Handoff(Tickets(sessions), site, clock, settings.staff_language),
                chat_handoff=chat_handoff,
            )
            yield core
    finally:
        await engine.dispose()
