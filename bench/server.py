"""A real server for the memory benches: uvicorn on 127.0.0.1, a fresh data directory.

``started(repo)`` migrates, creates one user and yields ``Server`` (base URL, pid, a Bearer
token). ``repo`` may be another checkout of the project (to measure an older version with
the same bench). ``rss_mb(pid)`` reads the process's resident memory from /proc.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
TOKEN_CODE = """
import django; django.setup()
from accounts.models import User
from accounts.services.refresh import token_pair_issue
user = User.objects.create_user(email="bench@example.com", password="bench passphrase 42")
pair = token_pair_issue(user=user)
print(getattr(pair, "access_token", pair))
"""


@dataclass(frozen=True)
class Server:
    base: str
    host: str
    port: int
    pid: int
    token: str


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class PeakRss:
    """Samples a process's RSS every 20 ms in a thread; ``peak`` is the largest seen."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, rss_mb(pid), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_mb(self.pid))

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def started(repo: Path = REPO, extra_env: dict[str, str] | None = None,
            uvicorn_args: tuple[str, ...] = ()) -> Iterator[Server]:
    data = tempfile.mkdtemp(prefix="gpubroker-bench-")
    env = {**os.environ, "GPUBROKER_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "config.settings",
           "PYTHONPATH": str(repo), **(extra_env or {})}
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG"):
        env.pop(name, None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=repo, env=env,
                   check=True)
    token = subprocess.run([sys.executable, "-c", TOKEN_CODE], cwd=repo, env=env, check=True,
                           capture_output=True, text=True).stdout.strip()
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning", "--lifespan", "off", *uvicorn_args],
        cwd=repo, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        health_wait(base)
        yield Server(base=base, host="127.0.0.1", port=port, pid=process.pid, token=token)
    finally:
        process.terminate()
        process.wait(20)


def health_wait(base: str, process: subprocess.Popen | None = None,
                timeout_s: float = 60.0) -> None:
    """Until ``base``/health answers 200; fails if ``process`` exits first or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit("the bench server exited early")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the bench server did not answer /health in {timeout_s:g} s")
