"""When Rasa exits mid-run, the bot starts it again, and tells the staff if it cannot.
Rasa is played by a small stand-in process (a real Rasa takes 20 s to start); what is
under test is the supervision: the process, the port, the restarts and the alert."""

from __future__ import annotations

import asyncio
import os
import signal
import stat
import sys
from pathlib import Path

import httpx

from nlu.server import NluServer, supervise

STAND_IN = """#!{python}
import http.server, json, os, sys
if os.path.exists({broken!r}):
    sys.exit(1)  # a Rasa that cannot start (a broken install, no memory)
port = int(sys.argv[sys.argv.index("--port") + 1])
class Status(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({{"model_id": "stand-in"}}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json"); self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Status).serve_forever()
"""


def stand_in(tmp_path: Path) -> tuple[NluServer, Path]:
    broken = tmp_path / "broken"
    rasa = tmp_path / "rasa"
    rasa.write_text(STAND_IN.format(python=sys.executable, broken=str(broken)))
    rasa.chmod(rasa.stat().st_mode | stat.S_IEXEC)
    model = tmp_path / "model.tar.gz"
    model.write_bytes(b"")
    return NluServer(model=model, rasa=rasa, log_file=tmp_path / "rasa.log"), broken


def status(server: NluServer) -> int:
    return httpx.get(f"{server.url}/status", timeout=2).status_code


async def wait_until(condition, timeout: float = 20.0) -> None:
    for _ in range(int(timeout / 0.1)):
        if condition():
            return
        await asyncio.sleep(0.1)
    raise AssertionError("timed out")


async def test_rasa_that_dies_is_started_again_on_the_same_address(tmp_path):
    server, _ = stand_in(tmp_path)
    server.start()
    await asyncio.to_thread(server.wait_ready, 20)
    stopping = asyncio.Event()
    supervisor = asyncio.create_task(supervise(server, stopping, check_every=0.2, first_delay=0.2))
    try:
        first = server._process.pid
        os.killpg(first, signal.SIGKILL)  # as the OOM killer would
        await wait_until(lambda: not server.exited and server._process.pid != first)
        await asyncio.to_thread(server.wait_ready, 20)
        assert status(server) == 200
    finally:
        stopping.set()
        await supervisor
        server.stop()


async def test_staff_are_told_once_when_rasa_cannot_be_started_again(tmp_path):
    server, broken = stand_in(tmp_path)
    server.start()
    await asyncio.to_thread(server.wait_ready, 20)
    alerts: list[int] = []

    async def tell_staff(failures: int) -> None:
        alerts.append(failures)

    stopping = asyncio.Event()
    supervisor = asyncio.create_task(supervise(server, stopping, tell_staff, check_every=0.2, first_delay=0.05))
    try:
        broken.touch()
        os.killpg(server._process.pid, signal.SIGKILL)
        await wait_until(lambda: alerts, timeout=30)
        assert alerts == [3]
        broken.unlink()  # fixed: the next try brings it back
        await wait_until(lambda: not server.exited, timeout=30)
        await asyncio.to_thread(server.wait_ready, 20)
        assert status(server) == 200 and alerts == [3]
    finally:
        stopping.set()
        await supervisor
        server.stop()
