"""A real PostgreSQL server for the tests, started by the test run itself in a temporary
folder (initdb, then pg_ctl on a free loopback port) and stopped at its end.

The server binaries come from PG_BIN, else `pg_config --bindir`, else the newest
/usr/lib/postgresql/*/bin (Debian's packages). A missing server is an error with what to
install, never a skipped test. PostgreSQL refuses to run as root: as root, the server
runs as the `postgres` system user (which Debian's package creates).
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from nlu.server import free_port

USER = "broen"


def server_binaries() -> Path:
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    if shutil.which("pg_config"):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        candidates.append(Path(bindir))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True) \
        if Path("/usr/lib/postgresql").is_dir() else []
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    raise RuntimeError("No PostgreSQL server binaries (initdb, pg_ctl) found: install the PostgreSQL server "
                       "(e.g. apt install postgresql-15) or set PG_BIN to its bin folder. The store tests run "
                       "against PostgreSQL as well as SQLite.")


class PostgresServer:
    def __init__(self) -> None:
        self.bin = server_binaries()
        # Its own folder straight under the temp dir: the `postgres` user must reach it.
        self.folder = Path(tempfile.mkdtemp(prefix="broen-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self._names = itertools.count(1)
        self._as_user: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres will not run as root
            self._as_user = ["runuser", "-u", "postgres", "--"]
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)

    def _run(self, *command: str) -> None:
        result = subprocess.run([*self._as_user, *command], capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command[:2])} failed: {result.stderr.strip() or result.stdout.strip()}")

    def start(self) -> None:
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8" if _has_c_utf8() else "--no-locale")
        # No sockets in a folder we may not own; loopback TCP only; fsync off (a test server).
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c fsync=off"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "postgres.log"), "-w", "-t", "60", "start")

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run([*self._as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                            "-w", "stop"], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)

    def new_database(self) -> str:
        """A fresh, empty database; its SQLAlchemy URL (asyncpg)."""
        name = f"test_{next(self._names)}"
        self._run(str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, "-d", "postgres",
                  "-q", "-c", f"CREATE DATABASE {name}")
        return f"postgresql+asyncpg://{USER}@127.0.0.1:{self.port}/{name}"


def _has_c_utf8() -> bool:
    result = subprocess.run(["locale", "-a"], capture_output=True, text=True)
    return "c.utf8" in result.stdout.lower().replace("-", "")

