"""A private redis-server for fault and topology tests: its own process on a free port, no
persistence, killed and started again by the test. The machine's shared Redis (the one other
test runs use) is never touched."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from tests.support.celery_worker import free_port
from tests.support.postgres import skip_or_fail


class PrivateRedis:
    """``start``/``kill`` by hand; ``url`` names database 0 of this server."""

    def __init__(self, binary: str, folder: Path) -> None:
        self.binary, self.folder, self.port = binary, folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=1).ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        raise AssertionError(f"redis-server did not answer on port {self.port}")

    def kill(self) -> None:
        """Gone at once, as a crash: every client connection drops."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None


@contextmanager
def private_redis(folder: Path) -> Iterator[PrivateRedis]:
    binary = shutil.which("redis-server")
    if binary is None:
        skip_or_fail("redis-server is not installed: apt-get install redis-server")
    server = PrivateRedis(str(binary), folder)
    server.start()
    try:
        yield server
    finally:
        server.kill()
