"""A private PostgreSQL server for fault tests: its own cluster in a temporary folder, on a
free port, stopped and started by the test. The machine's shared PostgreSQL (the one other
test runs use) is never touched.

``initdb`` refuses to run as root; as root the cluster belongs to the ``postgres`` account
and the server runs as it (``runuser``). Without PostgreSQL's server binaries the tests that
need one skip, saying so, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg
import pytest

from tests.support.celery_worker import free_port

BIN_DIRS = [Path(os.environ.get("GPUBROKER_TEST_PG_BIN", "/usr/lib/postgresql/15/bin")),
            *sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]
SERVER_USER = "postgres"  # who owns the cluster when the tests run as root


def server_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None."""
    for folder in BIN_DIRS:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def skip_or_fail(why: str) -> None:
    """Skip a test that needs a service this machine lacks; under CI, fail instead."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{why} (CI=true: a fault test may not be skipped)")
    pytest.skip(why)


class PrivatePostgres:
    """One cluster, ``start``/``stop``/``restart`` by hand; ``url`` names its database."""

    def __init__(self, binaries: Path, folder: Path) -> None:
        self.binaries, self.folder, self.port = binaries, folder, free_port()
        self.data, self.log = folder / "data", folder / "server.log"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/gpubroker"

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.binaries / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise AssertionError(f"{tool} failed ({done.returncode}):\n{done.stdout}"
                                 f"{done.stderr}\n{self._log_tail()}")

    def _log_tail(self) -> str:
        return self.log.read_text()[-3000:] if self.log.exists() else ""

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w",
                  "start")

    def stop(self) -> None:
        """A fast shutdown: open transactions are rolled back, every client disconnected."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def connect(self, database: str = "gpubroker") -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                               dbname=database, connect_timeout=5)

    def database_create(self) -> None:
        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres",
                             dbname="postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE gpubroker")


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    """A running private server with an empty ``gpubroker`` database, removed afterwards."""
    binaries = server_binaries()
    if binaries is None:
        skip_or_fail("PostgreSQL's server binaries (initdb, pg_ctl) are not installed: "
                     "apt-get install postgresql, or set GPUBROKER_TEST_PG_BIN")
    folder = Path(tempfile.mkdtemp(prefix="gpubroker-pg-"))
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(SERVER_USER)
        except KeyError:
            shutil.rmtree(folder)
            skip_or_fail(f"running as root and no {SERVER_USER!r} account to own a private "
                         "cluster (initdb refuses root)")
        os.chown(folder, account.pw_uid, account.pw_gid)
    server = PrivatePostgres(binaries, folder)
    try:
        server.init()
        server.start()
        server.database_create()
        yield server
    finally:
        with suppress(AssertionError):
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def wait_until(predicate: Callable[[], bool], *, timeout_s: float = 120, what: str) -> None:
    """Poll ``predicate`` until it is true; fail naming ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
