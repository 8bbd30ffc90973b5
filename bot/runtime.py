"""Wires the parts together for a running bot: database, NLU service, core."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.core import Core
from bot.store import Store, connect, upgrade
from nlu.client import NluClient
from nlu.crisis import CrisisLexicon
from nlu.language import LanguageDetector
from nlu.server import NluServer
from nlu.understanding import Understander

log = logging.getLogger(__name__)


def progress(note: str) -> None:
    print(note, file=sys.stderr, flush=True)


@asynccontextmanager
async def nlu_service(settings: Settings) -> AsyncIterator[NluClient]:
    """The configured NLU_URL, or a Rasa server of our own for as long as we run."""
    if settings.nlu_url:
        client = NluClient(settings.nlu_url, settings.nlu_token, settings.nlu_timeout)
        try:
            yield client
        finally:
            await client.aclose()
        return
    server = NluServer(model=settings.nlu_model)
    progress("Starting the NLU server (Rasa, about 20 s)...")
    server.start()
    try:
        seconds = await asyncio.to_thread(server.wait_ready, 180.0, progress)
        progress(f"NLU server ready in {seconds:.0f} s.")
    except (RuntimeError, TimeoutError) as exc:
        # Degraded mode: the bot still answers with the menu and a person.
        log.error("NLU server did not start: %s", exc)
        progress(f"The NLU server did not start ({exc}); answering with the menu only.")
    client = NluClient(server.url, server.token, settings.nlu_timeout)
    try:
        yield client
    finally:
        await client.aclose()
        server.stop()


@asynccontextmanager
async def running_core(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Core]:
    await upgrade(settings.database_url)
    engine, sessions = connect(settings.database_url)
    try:
        async with nlu_service(settings) as client:
            yield Core(
                store=Store(sessions),
                understander=Understander(client, CrisisLexicon.load()),
                detector=LanguageDetector(),
                clock=clock or SystemClock(),
            )
    finally:
        await engine.dispose()
