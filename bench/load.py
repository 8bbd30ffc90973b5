"""`make bench-load [RATE=5] [SECONDS=20] [WORKERS=1] [DB=sqlite]`: Broen under the evening peak.

Starts the bot as `make run` starts it (`python -m bot run`, which starts its own Rasa),
against the tests' fake Bot API on loopback (tests/fake_telegram.py), on a throw-away
SQLite database. New people write at RATE new chats per second for SECONDS seconds, each
a realistic question from the held-out files (eight languages). Measured from the moment
an update is queued at the fake to the first message back to that chat: p50, p95, p99;
messages lost (no answer within the drain time) and duplicated (the same answer twice to
one chat); the peak resident memory of the bot and of Rasa. In the same run a minimal
python-telegram-bot echo bot (bench/echo_bot.py) meets the same load as the floor.

With DB=postgres the run starts its own PostgreSQL (tests/postgres.py, in a temporary
folder) and one Rasa that the workers share (NLU_URL), and the bot takes updates by
webhook, as in production: the fake delivers them one at a time (as Telegram does with
max_connections=1) to a round-robin proxy in front of the workers. WORKERS=2 runs one
worker and then two, on fresh databases, and shows them side by side (throughput: chats
answered per second, first question to last answer).

Measured, not asserted; the figures go into the README. The last line is one JSON object.
Loopback only; RATE, SECONDS and WORKERS are bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil
import tornado.web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fake_telegram import FakeTelegram  # noqa: E402  (the tests' fake Bot API)
from postgres import PostgresServer  # noqa: E402  (the tests' throw-away PostgreSQL)
from nlu.heldout_data import heldout_files, read_examples  # noqa: E402
from nlu.server import NluServer, free_port  # noqa: E402

TOKEN = "555555:BENCH-not-a-real-token"
STAFF = -1005555555555
MB = 1024 * 1024
MAX_RATE, MAX_SECONDS, MAX_WORKERS = 100, 300, 4
WEBHOOK_SECRET = "bench-webhook-secret"
DRAIN_SECONDS = 30


class TimedFake(FakeTelegram):
    """The fake, noting when each chat's first update was queued and when it was answered."""

    def __init__(self) -> None:
        super().__init__(TOKEN, STAFF)
        self.queued: dict[int, float] = {}
        self.answered: dict[int, float] = {}
        self.replies: dict[int, list[str]] = {}
        self.webhooks_set = 0

    def say(self, user_id: int, text: str | None = None, **kwargs) -> None:
        self.queued.setdefault(user_id, time.perf_counter())
        super().say(user_id, text, **kwargs)

    async def answer(self, method: str, params: dict) -> tuple[int, dict]:
        self.webhooks_set += method == "setWebhook"
        if method == "sendMessage" and int(params["chat_id"]) > 0:
            chat = int(params["chat_id"])
            self.answered.setdefault(chat, time.perf_counter())
            self.replies.setdefault(chat, []).append(params.get("text", ""))
        status, body = await super().answer(method, params)
        if method != "getUpdates":
            self.calls.clear()  # a long run would keep every call otherwise
        return status, body


class RoundRobinProxy:
    """The reverse proxy in front of the workers: each webhook POST goes to the next one."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.port = free_port()
        self._turn = 0
        self._http = httpx.AsyncClient(timeout=10.0)
        self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/telegram"

    async def forward(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        port = self.ports[self._turn % len(self.ports)]
        self._turn += 1
        try:
            response = await self._http.post(f"http://127.0.0.1:{port}/telegram", content=body, headers=headers)
        except httpx.HTTPError:
            return 502, b""
        return response.status_code, response.content

    async def start(self) -> None:
        proxy = self

        class Forward(tornado.web.RequestHandler):
            async def post(self) -> None:
                headers = {name: value for name, value in self.request.headers.items()
                           if name.lower() in ("content-type", "x-telegram-bot-api-secret-token")}
                status, body = await proxy.forward(self.request.body, headers)
                self.set_status(status)
                self.finish(body)

        self._server = tornado.web.Application([(r"/telegram", Forward)]).listen(self.port, address="127.0.0.1")

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
        await self._http.aclose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def tree_rss(processes: list[psutil.Process]) -> tuple[int, int]:
    """(the bots' own memory, at most one worker's; their children's: Rasa, when a bot
    started its own)."""
    own, children = 0, 0
    for process in processes:
        try:
            own = max(own, process.memory_info().rss)
            children += sum(child.memory_info().rss for child in process.children(recursive=True))
        except psutil.Error:
            pass
    return own, children


async def run_phase(command: list[str], env: dict, rate: float, seconds: float, texts: list[str],
                    ready_timeout: float, first_user: int, workers: int = 0) -> dict:
    """One load run. `workers` > 0: that many bot processes by webhook behind the proxy;
    0: one process polling."""
    fake = TimedFake()
    await fake.start()
    env = {**env, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": fake.base_url}
    ports = [free_port() for _ in range(workers)]
    proxy = RoundRobinProxy(ports) if workers else None
    if proxy:
        await proxy.start()
    envs = [{**env, "WEBHOOK_URL": proxy.url, "WEBHOOK_SECRET": WEBHOOK_SECRET, "WEBHOOK_PORT": str(port),
             "WEBHOOK_LISTEN": "127.0.0.1"} for port in ports] if proxy else [env]
    log = open(Path(env["BENCH_LOG"]), "a")
    bots = [await asyncio.create_subprocess_exec(*command, cwd=ROOT, env=worker_env, stdout=log, stderr=log)
            for worker_env in envs]
    processes = [psutil.Process(bot.pid) for bot in bots]
    peak_own = peak_children = 0
    try:
        await fake.wait_for(lambda: fake.webhooks_set >= workers if workers else fake.polled, ready_timeout)
        # Warm up: one chat per worker answered before the clock starts (models loaded).
        for warm in range(max(1, workers)):
            fake.say(first_user - 1 - warm, texts[0])
        await fake.wait_for(lambda: all(first_user - 1 - warm in fake.answered for warm in range(max(1, workers))),
                            ready_timeout)
        users = list(range(first_user, first_user + int(rate * seconds)))
        started = time.perf_counter()
        for index, user in enumerate(users):
            due = started + index / rate
            while (now := time.perf_counter()) < due:
                await asyncio.sleep(min(due - now, 0.01))
            fake.say(user, texts[index % len(texts)], language=None)
            if index % max(1, int(rate / 2)) == 0:
                own, children = tree_rss(processes)
                peak_own, peak_children = max(peak_own, own), max(peak_children, children)
        deadline = time.perf_counter() + DRAIN_SECONDS
        while time.perf_counter() < deadline and not all(user in fake.answered for user in users):
            own, children = tree_rss(processes)
            peak_own, peak_children = max(peak_own, own), max(peak_children, children)
            await asyncio.sleep(0.1)
        latencies = [(fake.answered[user] - fake.queued[user]) * 1000 for user in users if user in fake.answered]
        duplicates = sum(1 for user in users for text in set(fake.replies.get(user, []))
                         if fake.replies[user].count(text) > 1)
        answered_at = [fake.answered[user] for user in users if user in fake.answered]
        span = max(answered_at) - fake.queued[users[0]] if answered_at else 0.0
        return {"n": len(users), "throughput": round(len(answered_at) / span, 1) if span else 0.0,
                "p50_ms": round(percentile(latencies, 0.5), 1),
                "p95_ms": round(percentile(latencies, 0.95), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
                "lost": len(users) - len(latencies), "duplicates": duplicates,
                "rss_mb": round(peak_own / MB), "children_rss_mb": round(peak_children / MB)}
    finally:
        for bot in bots:
            # A worker that stopped on an error must not leave the others running.
            with contextlib.suppress(ProcessLookupError):
                bot.send_signal(signal.SIGTERM)
        for bot in bots:
            try:
                await asyncio.wait_for(bot.wait(), 30)
            except TimeoutError:
                bot.kill()
        log.close()
        if proxy:
            await proxy.stop()
        await fake.stop()


def summary(name: str, phase: dict) -> str:
    return (f"{name}: {phase['throughput']} chats/s answered, p50 {phase['p50_ms']} ms, p95 {phase['p95_ms']} ms, "
            f"p99 {phase['p99_ms']} ms, lost {phase['lost']}, duplicated {phase['duplicates']}, "
            f"bot {phase['rss_mb']} MB")


async def main() -> None:
    parser = argparse.ArgumentParser(prog="make bench-load", description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=5.0, help="new chats per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long")
    parser.add_argument("--workers", type=int, default=1, help="bot processes (more than 1 needs --db postgres)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    rate, seconds = min(max(args.rate, 0.1), MAX_RATE), min(max(args.seconds, 1.0), MAX_SECONDS)
    workers = min(max(args.workers, 1), MAX_WORKERS)
    if workers > 1 and args.db != "postgres":
        raise SystemExit("several workers share one PostgreSQL: use DB=postgres")
    texts = [example.text for example in read_examples(heldout_files()) if example.topic != "crisis"]
    folder = Path(tempfile.mkdtemp(prefix="broen-bench-"))
    base = {**os.environ, "STAFF_CHAT_ID": str(STAFF), "LOG_LEVEL": "WARNING", "BENCH_LOG": str(folder / "bench.log"),
            "SITE_FILE": str(ROOT / "sites" / "example.yml")}
    base.pop("NLU_URL", None)  # as `make run`: the bot starts its own Rasa
    print(f"load: {rate:g} new chats/s for {seconds:g} s on {args.db}; the echo floor first, then Broen",
          file=sys.stderr)
    echo = await run_phase([sys.executable, str(ROOT / "bench" / "echo_bot.py")], base, rate, seconds, texts,
                           60, 10_000_000)
    bot = [sys.executable, "-m", "bot", "run"]
    phases: dict[int, dict] = {}
    nlu_rss = 0
    if args.db == "sqlite":
        env = {**base, "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'bench.sqlite3'}"}
        phases[1] = await run_phase(bot, env, rate, seconds, texts, 240, 20_000_000)
        nlu_rss = phases[1]["children_rss_mb"]
    else:
        postgres, nlu = PostgresServer(), NluServer(log_file=folder / "rasa.log")
        try:
            postgres.start()
            nlu.start()
            await asyncio.to_thread(nlu.wait_ready, 180.0)
            shared = {**base, "NLU_URL": nlu.url, "NLU_TOKEN": nlu.token}
            for count, first_user in sorted({(1, 20_000_000), (workers, 30_000_000)}):
                env = {**shared, "DATABASE_URL": postgres.new_database()}
                phases[count] = await run_phase(bot, env, rate, seconds, texts, 240, first_user, workers=count)
            nlu_rss = round(nlu.memory_bytes() / MB)
        finally:
            nlu.stop()
            postgres.stop()
    broen = phases[workers]
    figures = {
        "rate": rate, "seconds": seconds, "db": args.db, "workers": workers, "n": broen["n"],
        "throughput": broen["throughput"],
        "p50_ms": broen["p50_ms"], "p95_ms": broen["p95_ms"], "p99_ms": broen["p99_ms"],
        "lost": broen["lost"], "duplicates": broen["duplicates"],
        "bot_rss_mb": broen["rss_mb"], "nlu_rss_mb": nlu_rss,
        "echo_p50_ms": echo["p50_ms"], "echo_p95_ms": echo["p95_ms"], "echo_lost": echo["lost"],
        "echo_rss_mb": echo["rss_mb"],
        "p50_over_echo": round(broen["p50_ms"] / echo["p50_ms"], 1) if echo["p50_ms"] else None,
        "p95_over_echo": round(broen["p95_ms"] / echo["p95_ms"], 1) if echo["p95_ms"] else None,
    }
    if len(phases) > 1:
        figures["by_workers"] = {str(count): {key: phase[key] for key in
                                              ("throughput", "p50_ms", "p95_ms", "p99_ms", "lost", "duplicates",
                                               "rss_mb")}
                                 for count, phase in phases.items()}
    for count, phase in sorted(phases.items()):
        print(summary(f"Broen, {count} worker{'s' if count > 1 else ''}", phase), file=sys.stderr)
    print(f"Rasa {nlu_rss} MB; echo floor: p50 {figures['echo_p50_ms']} ms, p95 {figures['echo_p95_ms']} ms; "
          f"Broen/echo p50 {figures['p50_over_echo']}x, p95 {figures['p95_over_echo']}x", file=sys.stderr)
    print(json.dumps(figures))


if __name__ == "__main__":
    asyncio.run(main())
