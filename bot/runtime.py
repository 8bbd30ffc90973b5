"""Wires the parts together for a running bot: database, NLU service, core."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.core import Core
from bot.site import load_site
from bot.store import Store, connect, upgrade
from flows.facts import facts
from flows.helplines import helplines
from nlu.language import LanguageDetector
from nlu.screening import CrisisScreen
from nlu.server import nlu_client, print_progress
from nlu.understanding import Understander


@asynccontextmanager
async def running_core(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Core]:
    site = load_site(settings.site_file)  # a broken site file stops the start, with the reason
    facts()  # so do broken rule facts (flows/facts.yml)
    helplines()  # and broken help lines (flows/helplines.yml)
    screen = CrisisScreen.load()  # the crisis stage works even when the NLU service does not
    await upgrade(settings.database_url)
    engine, sessions = connect(settings.database_url)
    try:
        async with nlu_client(
            settings.nlu_url, settings.nlu_token, settings.nlu_timeout, settings.nlu_model, print_progress, must_start=False
        ) as client:
            yield Core(
                store=Store(sessions),
                understander=Understander(client),
                detector=LanguageDetector(),
                clock=clock or SystemClock(),
                site=site,
                screen=screen,
                staff_language=settings.staff_language,
            )
    finally:
        await engine.dispose()
