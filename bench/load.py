"""`make bench-load [RATE=5] [SECONDS=20]`: Broen under the evening peak.

Starts the bot as `make run` starts it (`python -m bot run`, which starts its own Rasa),
against the tests' fake Bot API on loopback (tests/fake_telegram.py), on a throw-away
SQLite database. New people write at RATE new chats per second for SECONDS seconds, each
a realistic question from the held-out files (eight languages). Measured from the moment
an update is queued at the fake to the first message back to that chat: p50, p95, p99;
messages lost (no answer within the drain time) and duplicated (the same answer twice to
one chat); the peak resident memory of the bot and of Rasa. In the same run a minimal
python-telegram-bot echo bot (bench/echo_bot.py) meets the same load as the floor.

Measured, not asserted; the figures go into the README. The last line is one JSON object.
Loopback only; RATE and SECONDS are bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_telegram import FakeTelegram  # noqa: E402  (the tests' fake Bot API)
from nlu.heldout_data import heldout_files, read_examples  # noqa: E402

TOKEN = "555555:BENCH-not-a-real-token"
STAFF = -1005555555555
MB = 1024 * 1024
MAX_RATE, MAX_SECONDS = 100, 300
DRAIN_SECONDS = 30


class TimedFake(FakeTelegram):
    """The fake, noting when each chat's first update was queued and when it was answered."""

    def __init__(self) -> None:
        super().__init__(TOKEN, STAFF)
        self.queued: dict[int, float] = {}
        self.answered: dict[int, float] = {}
        self.replies: dict[int, list[str]] = {}

    def say(self, user_id: int, text: str | None = None, **kwargs) -> None:
        self.queued.setdefault(user_id, time.perf_counter())
        super().say(user_id, text, **kwargs)

    async def answer(self, method: str, params: dict) -> tuple[int, dict]:
        if method == "sendMessage" and int(params["chat_id"]) > 0:
            chat = int(params["chat_id"])
            self.answered.setdefault(chat, time.perf_counter())
            self.replies.setdefault(chat, []).append(params.get("text", ""))
        status, body = await super().answer(method, params)
        if method != "getUpdates":
            self.calls.clear()  # a long run would keep every call otherwise
        return status, body


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def tree_rss(process: psutil.Process) -> tuple[int, int]:
    """(the bot's own memory, its children's: Rasa)."""
    try:
        own = process.memory_info().rss
        children = sum(child.memory_info().rss for child in process.children(recursive=True))
    except psutil.Error:
        return 0, 0
    return own, children


async def run_phase(command: list[str], env: dict, rate: float, seconds: float, texts: list[str],
                    ready_timeout: float, first_user: int) -> dict:
    fake = TimedFake()
    await fake.start()
    env = {**env, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": fake.base_url}
    log = open(Path(env["BENCH_LOG"]), "a")
    bot = await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=env, stdout=log, stderr=log)
    process = psutil.Process(bot.pid)
    peak_own = peak_children = 0
    try:
        await fake.wait_for(lambda: fake.polled, ready_timeout)
        # Warm up: one chat answered before the clock starts (models loaded, caches filled).
        fake.say(first_user - 1, texts[0])
        await fake.wait_for(lambda: first_user - 1 in fake.answered, ready_timeout)
        users = list(range(first_user, first_user + int(rate * seconds)))
        started = time.perf_counter()
        for index, user in enumerate(users):
            due = started + index / rate
            while (now := time.perf_counter()) < due:
                await asyncio.sleep(min(due - now, 0.01))
            fake.say(user, texts[index % len(texts)], language=None)
            if index % max(1, int(rate / 2)) == 0:
                own, children = tree_rss(process)
                peak_own, peak_children = max(peak_own, own), max(peak_children, children)
        deadline = time.perf_counter() + DRAIN_SECONDS
        while time.perf_counter() < deadline and not all(user in fake.answered for user in users):
            own, children = tree_rss(process)
            peak_own, peak_children = max(peak_own, own), max(peak_children, children)
            await asyncio.sleep(0.1)
        latencies = [(fake.answered[user] - fake.queued[user]) * 1000 for user in users if user in fake.answered]
        duplicates = sum(1 for user in users for text in set(fake.replies.get(user, []))
                         if fake.replies[user].count(text) > 1)
        return {"n": len(users), "p50_ms": round(percentile(latencies, 0.5), 1),
                "p95_ms": round(percentile(latencies, 0.95), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
                "lost": len(users) - len(latencies), "duplicates": duplicates,
                "rss_mb": round(peak_own / MB), "children_rss_mb": round(peak_children / MB)}
    finally:
        bot.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(bot.wait(), 30)
        except TimeoutError:
            bot.kill()
        log.close()
        await fake.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(prog="make bench-load", description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=5.0, help="new chats per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long")
    args = parser.parse_args()
    rate, seconds = min(max(args.rate, 0.1), MAX_RATE), min(max(args.seconds, 1.0), MAX_SECONDS)
    texts = [example.text for example in read_examples(heldout_files()) if example.topic != "crisis"]
    folder = Path(tempfile.mkdtemp(prefix="broen-bench-"))
    base = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'bench.sqlite3'}",
            "STAFF_CHAT_ID": str(STAFF), "LOG_LEVEL": "WARNING", "BENCH_LOG": str(folder / "bench.log"),
            "SITE_FILE": str(ROOT / "sites" / "example.yml")}
    base.pop("NLU_URL", None)  # as `make run`: the bot starts its own Rasa
    print(f"load: {rate:g} new chats/s for {seconds:g} s; the echo floor first, then Broen (starts Rasa, ~20 s)",
          file=sys.stderr)
    echo = await run_phase([sys.executable, str(ROOT / "bench" / "echo_bot.py")], base, rate, seconds, texts,
                           60, 10_000_000)
    broen = await run_phase([sys.executable, "-m", "bot", "run"], base, rate, seconds, texts, 240, 20_000_000)
    figures = {
        "rate": rate, "seconds": seconds, "n": broen["n"],
        "p50_ms": broen["p50_ms"], "p95_ms": broen["p95_ms"], "p99_ms": broen["p99_ms"],
        "lost": broen["lost"], "duplicates": broen["duplicates"],
        "bot_rss_mb": broen["rss_mb"], "nlu_rss_mb": broen["children_rss_mb"],
        "echo_p50_ms": echo["p50_ms"], "echo_p95_ms": echo["p95_ms"], "echo_lost": echo["lost"],
        "echo_rss_mb": echo["rss_mb"],
        "p50_over_echo": round(broen["p50_ms"] / echo["p50_ms"], 1) if echo["p50_ms"] else None,
        "p95_over_echo": round(broen["p95_ms"] / echo["p95_ms"], 1) if echo["p95_ms"] else None,
    }
    print(f"Broen: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms, "
          f"lost {figures['lost']}, duplicated {figures['duplicates']}, bot {figures['bot_rss_mb']} MB, "
          f"Rasa {figures['nlu_rss_mb']} MB", file=sys.stderr)
    print(f"echo floor: p50 {figures['echo_p50_ms']} ms, p95 {figures['echo_p95_ms']} ms; Broen/echo p50 "
          f"{figures['p50_over_echo']}x, p95 {figures['p95_over_echo']}x", file=sys.stderr)
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
