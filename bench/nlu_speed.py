"""`make bench-nlu`: parse and crisis-stage latency, NLU server start time and memory,
bot memory.

Measured, not asserted: the figures go into the README. Starts its own NLU server
(so the start time is real) and a bot core on a throw-away SQLite database.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import psutil

from bot.clock import SystemClock
from bot.config import Settings
from bot.core import Core
from bot.handoff import Handoff
from bot.replies import Incoming
from bot.site import load_site
from bot.store import Store, connect, upgrade
from bot.store.tickets import Tickets
from nlu.client import NluClient
from nlu.heldout_data import heldout_files, read_examples
from nlu.language import LanguageDetector
from nlu.screening import CrisisScreen
from nlu.server import NluServer
from nlu.understanding import Understander

MB = 1024 * 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def timed(texts: list[str], call) -> list[float]:
    timings = []
    for text in texts:
        started = time.perf_counter()
        await call(text)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def main() -> None:
    texts = [example.text for example in read_examples(heldout_files())]
    screen = CrisisScreen.load()

    async def screened(text: str) -> None:
        screen.screen(text)

    await timed(texts[:50], screened)  # warm-up
    screen_ms = await timed(texts, screened)
    server = NluServer()
    started = time.monotonic()
    server.start()
    try:
        await asyncio.to_thread(server.wait_ready, 180.0)
        start_seconds = time.monotonic() - started
        client = NluClient(server.url, server.token, timeout=10.0)
        await timed(texts[:50], client.parse)  # warm-up
        parse_ms = await timed(texts, client.parse)
        nlu_rss = server.memory_bytes()

        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
            await upgrade(url)
            engine, sessions = connect(url)
            site, clock = load_site(Settings.from_env().site_file), SystemClock()
            core = Core(Store(sessions), Understander(client), LanguageDetector(), clock, site, screen,
                        Handoff(Tickets(sessions), site, clock))
            handle_ms = await timed(
                texts, lambda text: core.handle(Incoming("bench", str(hash(text) % 50), text=text))
            )
            await engine.dispose()
        bot_rss = psutil.Process(os.getpid()).memory_info().rss
        await client.aclose()
    finally:
        server.stop()

    figures = {
        "messages": len(texts),
        "parse_ms": {"p50": round(statistics.median(parse_ms), 1), "p95": round(percentile(parse_ms, 0.95), 1)},
        "crisis_stage_ms": {"p50": round(statistics.median(screen_ms), 2), "p95": round(percentile(screen_ms, 0.95), 2)},
        "core_handle_ms": {"p50": round(statistics.median(handle_ms), 1), "p95": round(percentile(handle_ms, 0.95), 1)},
        "nlu_start_s": round(start_seconds, 1),
        "nlu_rss_mb": round(nlu_rss / MB),
        "bot_rss_mb": round(bot_rss / MB),
    }
    print(f"parse latency over {len(texts)} held-out messages: "
          f"p50 {figures['parse_ms']['p50']} ms, p95 {figures['parse_ms']['p95']} ms")
    print(f"crisis stage (lexicon and classifier, in the bot): "
          f"p50 {figures['crisis_stage_ms']['p50']} ms, p95 {figures['crisis_stage_ms']['p95']} ms")
    print(f"whole message through the core (store, detect, parse, reply): "
          f"p50 {figures['core_handle_ms']['p50']} ms, p95 {figures['core_handle_ms']['p95']} ms")
    print(f"NLU server: ready in {figures['nlu_start_s']} s, resident memory {figures['nlu_rss_mb']} MB")
    print(f"bot process: resident memory {figures['bot_rss_mb']} MB")
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
