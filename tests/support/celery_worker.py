"""A real Celery worker process (``gpubroker worker``) on the test database and Redis.

The worker is another process, so it must open the database the test opened: with
PostgreSQL the test database pytest-django created; with SQLite the test database file
(tests/conftest.py makes SQLite test databases files, not memory). Its queue, channel-layer
prefix and lock prefix are this test run's own, so parallel runs sharing Redis never mix.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from celery import Celery
from celery.result import AsyncResult
from django.db import connection
from django.test import override_settings

from tests.conftest import REPO_ROOT
from tests.support.catalogs import CatalogServer

READY_S = 90.0


LIVE_DB = os.environ.get("GPUBROKER_TEST_LIVE_REDIS_DB", "11")


def redis_url_for_tests() -> str | None:
    """The running Redis (REDIS_URL on the second pass, else the test Redis if it answers),
    on a database of its own: tests of the cache clear theirs (FLUSHDB) at any moment, which
    would drop queued channel messages, tasks and locks of tests running beside them."""
    base = os.environ.get("REDIS_URL") or os.environ.get("GPUBROKER_TEST_REDIS_URL",
                                                         "redis://127.0.0.1:6379/15")
    url = urlunsplit(urlsplit(base)._replace(path=f"/{LIVE_DB}"))
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REDIS_URL"):
            raise
        return None
    return url


def database_url() -> str:
    """The URL of the database this test process uses (its test database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def client_app(redis_url: str) -> Celery:
    """A producer-only Celery app on the test broker, with results (to read what ran)."""
    return Celery("gpubroker-test", broker=redis_url, backend=redis_url)


@contextmanager
def celery_worker(*, redis_url: str, channels_prefix: str, log: Path,
                  env: dict[str, str] | None = None, command: str = "worker",
                  args: tuple[str, ...] = ()) -> Iterator[dict[str, str]]:
    """Run ``gpubroker worker`` (or ``beat``) until the block ends; yields its environment."""
    run_env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": redis_url,
               "CELERY_RESULT_BACKEND": redis_url,
               "GPUBROKER_CACHE_PREFIX": channels_prefix.removeprefix("asgi"),
               "GPUBROKER_CELERY_QUEUE": f"test-{uuid.uuid4().hex[:12]}",
               "GPUBROKER_SCHEDULER": "celery", **(env or {})}
    run_env.pop("GPUBROKER_TEST_DB_NAME", None)
    run_env.pop("PYTEST_XDIST_WORKER", None)  # the prefix above already carries the worker's
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "gpubroker", command, *args],
                                   cwd=REPO_ROOT, env=run_env, stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        _wait_ready(process, log, "ready." if command == "worker" else "beat: Starting")
        yield run_env
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def _wait_ready(process: subprocess.Popen[Any], log: Path, marker: str) -> None:
    deadline = time.monotonic() + READY_S
    while time.monotonic() < deadline:
        text = log.read_text()
        if marker in text:
            return
        if process.poll() is not None:
            raise AssertionError(f"the Celery process exited early:\n{text}")
        time.sleep(0.2)
    raise AssertionError(f"the Celery process was not ready in {READY_S}s:\n{log.read_text()}")


@dataclass
class CeleryStack:
    """A worker on the test database and Redis, syncing ``vast`` from a local catalog server."""

    redis_url: str
    channels_prefix: str
    catalogs: CatalogServer
    env: dict[str, str]
    app: Celery
    metrics_url: str

    def settings(self) -> override_settings:
        """This process's settings as the worker's for Redis: same database, same keys."""
        return override_settings(REDIS_URL=self.redis_url,
                                 GPUBROKER_SYNC_LOCK_PREFIX=self.env["GPUBROKER_CACHE_PREFIX"])

    def send(self, task: str, *args: Any) -> AsyncResult:
        return self.app.send_task(task, args=args, queue=self.env["GPUBROKER_CELERY_QUEUE"])


@pytest.fixture(scope="session")
def celery_stack(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[CeleryStack]:
    redis_url = redis_url_for_tests()
    if redis_url is None:
        pytest.skip("no Redis answers at GPUBROKER_TEST_REDIS_URL: the Celery tests need one")
    server = CatalogServer(tmp_path_factory.mktemp("catalogs"))
    prefix, port = f"asgi-test-{os.getpid()}-", free_port()
    env = {"GPUBROKER_CATALOG_URL": server.url, "GPUBROKER_CATALOG_CLOUDS": "vast",
           "GPUBROKER_CATALOG_DIR": "", "GPUBROKER_LIVE_PROVIDERS": "",
           "GPUBROKER_DISABLED_PROVIDERS": "", "GPUBROKER_SYNC_RETRY_BACKOFF_S": "0.5",
           "GPUBROKER_WORKER_METRICS_PORT": str(port)}
    log = tmp_path_factory.mktemp("celery") / "worker.log"
    app = client_app(redis_url)
    try:
        with celery_worker(redis_url=redis_url, channels_prefix=prefix, log=log, env=env,
                           args=("--concurrency=2",)) as run_env:
            yield CeleryStack(redis_url, prefix, server, run_env, app,
                              f"http://127.0.0.1:{port}/metrics")
    finally:
        server.close()
        app.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
