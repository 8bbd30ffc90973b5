"""Start, wait for and stop the Rasa NLU server (``rasa run --enable-api``).

Rasa needs Python 3.10 and pins that clash with the bot's, so it runs from its own
virtualenv (``nlu/.venv``) as a separate process, on loopback, behind a token.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import psutil

from nlu.client import NluClient

log = logging.getLogger(__name__)

NLU_DIR = Path(__file__).resolve().parent
DEFAULT_MODEL = NLU_DIR / "models" / "broen.tar.gz"
DEFAULT_RASA = NLU_DIR / ".venv" / "bin" / "rasa"

# Quiet, offline, no telemetry: the server must not try to phone home.
_RASA_ENV = {
    # Pinned: Rasa reads LOG_LEVEL too, and at DEBUG it logs every message text.
    "LOG_LEVEL": "INFO",
    "LOG_LEVEL_LIBRARIES": "ERROR",
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
}


def print_progress(note: str) -> None:
    """Progress for a person waiting at a terminal; stderr keeps stdout for results."""
    print(note, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NluServer:
    def __init__(
        self,
        model: Path = DEFAULT_MODEL,
        port: int | None = None,
        rasa: Path = DEFAULT_RASA,
        log_file: Path | None = None,
    ) -> None:
        self.model = model
        self.port = port or free_port()
        self.rasa = rasa
        # Hex, not url-safe base64: a token starting with "-" reads as an option to rasa
        # run, which then exits at once (the rare "exited early" at start).
        self.token = secrets.token_hex(24)
        self.log_file = log_file or NLU_DIR / "logs" / "rasa.log"
        self._process: subprocess.Popen | None = None
        self._restarted = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def exited(self) -> bool:
        return self._process is None or self._process.poll() is not None

    def start(self) -> None:
        if not self.model.exists():
            raise FileNotFoundError(f"no NLU model at {self.model}; run `make nlu-model`")
        if not self.rasa.exists():
            raise FileNotFoundError(f"no Rasa at {self.rasa}; run `make install`")
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        command = [
            str(self.rasa), "run", "--enable-api",
            "--interface", "127.0.0.1", "--port", str(self.port),
            "--auth-token", self.token,
            "--model", str(self.model),
            "--log-file", str(self.log_file),
        ]
        # Rasa's own log goes to --log-file; what it prints before that (a crash at
        # import) goes next to it, so an early exit can be explained.
        with open(self.log_file.with_suffix(".stderr.log"), "wb") as early:
            self._process = subprocess.Popen(
                command,
                env={**os.environ, **_RASA_ENV},
                stdout=subprocess.DEVNULL,
                stderr=early,
                cwd=NLU_DIR,
                start_new_session=True,  # so stop() can end Rasa's whole process group
            )

    def wait_ready(self, timeout: float = 120.0, progress: Callable[[str], None] | None = None) -> float:
        """Block until the model is loaded; return the seconds it took."""
        started = time.monotonic()
        last_note = 0.0
        while True:
            waited = time.monotonic() - started
            if self._process and self._process.poll() is not None:
                if not self._restarted:
                    # One more try before giving up. (The exit once seen after a fresh
                    # install was a token starting with "-"; tokens are hex now.)
                    self._restarted = True
                    self.start()
                    continue
                raise RuntimeError(f"the NLU server exited early; see {self.log_file} and "
                                   f"{self.log_file.with_suffix('.stderr.log')}")
            if self._model_loaded():
                return waited
            if waited > timeout:
                self.stop()
                raise TimeoutError(f"the NLU server was not ready after {timeout:.0f} s; see {self.log_file}")
            if progress and waited - last_note >= 5:
                progress(f"still starting the NLU server ({waited:.0f} s)...")
                last_note = waited
            time.sleep(0.25)

    def _model_loaded(self) -> bool:
        try:
            response = httpx.get(f"{self.url}/status", params={"token": self.token}, timeout=1.0)
        except httpx.HTTPError:
            return False
        return response.status_code == 200 and bool(response.json().get("model_id"))

    def memory_bytes(self) -> int:
        """Resident memory of the server and its children."""
        if not self._process:
            return 0
        root = psutil.Process(self._process.pid)
        return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)])

    def stop(self) -> None:
        if not self._process or self._process.poll() is not None:
            return
        try:
            os.killpg(self._process.pid, signal.SIGTERM)
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        except ProcessLookupError:
            pass


# After Rasa exits: try again after 5 s, then 10, 20 ... at most every 5 minutes.
RESTART_FIRST_DELAY = 5.0
RESTART_MAX_DELAY = 300.0
# Staff are told once this many restarts in a row have failed.
ALERT_AFTER_FAILURES = 3


async def supervise(server: NluServer, stopping: asyncio.Event, on_trouble: Callable[[int], Awaitable[None]] | None = None,
                    check_every: float = 2.0, first_delay: float = RESTART_FIRST_DELAY) -> None:
    """Keeps our own Rasa running: when it exits (a crash, the OOM killer), it is started
    again on the same port with the same token, with a growing pause between attempts.
    Meanwhile the bot answers in its degraded way; `on_trouble(failures)` is called once
    after ALERT_AFTER_FAILURES failed restarts in a row, so staff hear of it."""
    delay, failures, alerted = first_delay, 0, False
    while not stopping.is_set():
        try:
            await asyncio.wait_for(stopping.wait(), check_every if failures == 0 else delay)
            break
        except TimeoutError:
            pass
        if not server.exited:
            continue
        log.error("the NLU server is not running; starting it again (attempt %s)", failures + 1)
        try:
            server.start()
            await asyncio.to_thread(server.wait_ready, 180.0)
        except (OSError, RuntimeError, TimeoutError) as exc:
            server.stop()
            failures += 1
            delay = min(delay * 2, RESTART_MAX_DELAY) if failures > 1 else delay
            log.error("the NLU server did not start again (%s); next try in %.0f s", exc, delay)
            if failures >= ALERT_AFTER_FAILURES and not alerted and on_trouble is not None:
                alerted = True
                await on_trouble(failures)
            continue
        log.info("the NLU server runs again")
        delay, failures, alerted = first_delay, 0, False


@asynccontextmanager
async def nlu_client(
    url: str | None,
    token: str | None,
    timeout: float,
    model: Path = DEFAULT_MODEL,
    progress: Callable[[str], None] | None = None,
    must_start: bool = True,
    on_trouble: Callable[[int], Awaitable[None]] | None = None,
) -> AsyncIterator[NluClient]:
    """A client for the NLU service at `url`, or for a Rasa server of our own that runs
    as long as the block does. With must_start=False a server that fails to start is
    logged and the client simply reports the service as unavailable (degraded mode),
    and our own server is kept running (`supervise`) while the block runs."""
    server = None
    if not url:
        server = NluServer(model=model)
        if progress:
            progress("Starting the NLU server (Rasa, about 20 s)...")
        try:
            server.start()
            seconds = await asyncio.to_thread(server.wait_ready, 180.0, progress)
            if progress:
                progress(f"NLU server ready in {seconds:.0f} s.")
        except (OSError, RuntimeError, TimeoutError) as exc:
            server.stop()
            if must_start:
                raise
            log.error("NLU server did not start: %s", exc)
            if progress:
                progress(f"The NLU server did not start ({exc}); answering with the menu only.")
        url, token = server.url, server.token
    client = NluClient(url, token, timeout)
    stopping = asyncio.Event()
    supervisor = asyncio.create_task(supervise(server, stopping, on_trouble)) if server and not must_start else None
    try:
        yield client
    finally:
        stopping.set()
        if supervisor is not None:
            await supervisor
        await client.aclose()
        if server:
            server.stop()
