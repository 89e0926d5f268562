"""A Celery worker killed (SIGKILL) in the middle of a sync task: the task, acknowledged
late, is delivered again to another worker, which finds the dead worker's provider lock
expired (no one renews it) and completes the sync. No sync is lost, none half-written.

Private redis-server (broker, results, lock) and a SQLite store in a temporary data
directory; the catalog server holds the first worker's request so it dies mid-fetch,
holding the lock. Visibility timeout and lock TTL are seconds here, minutes in production.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.support.catalogs import VAST_LATEST, CatalogServer, vast_catalog
from tests.support.celery_worker import _wait_ready, client_app
from tests.support.postgres import wait_until
from tests.support.redis_server import private_redis

RESULT_S = 120


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "gpubroker", "worker",
                                    "--concurrency=1"], cwd=REPO_ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    _wait_ready(process, log, "ready.")
    return process


def _stored(database: Path) -> tuple[int, list[str]]:
    with sqlite3.connect(database) as conn:
        offers = conn.execute("SELECT count(*) FROM market_offer WHERE provider_id = 'vast'")
        runs = conn.execute("SELECT status FROM market_syncrun ORDER BY id")
        return offers.fetchone()[0], [r[0] for r in runs]


def test_a_worker_killed_mid_sync_leaves_the_task_to_another(tmp_path: Path) -> None:
    with private_redis(tmp_path) as redis_server:
        catalogs = CatalogServer(tmp_path / "catalogs")
        vast_catalog(catalogs.v7, h100_high=False)
        env = {**os.environ, "REDIS_URL": redis_server.url,
               "CELERY_RESULT_BACKEND": redis_server.url, "GPUBROKER_SCHEDULER": "celery",
               "GPUBROKER_DATA_DIR": str(tmp_path / "data"),
               "GPUBROKER_CATALOG_URL": catalogs.url, "GPUBROKER_CATALOG_CLOUDS": "vast",
               "GPUBROKER_CATALOG_DIR": "", "GPUBROKER_LIVE_PROVIDERS": "",
               "GPUBROKER_DISABLED_PROVIDERS": "", "GPUBROKER_SYNC_LOCK_TTL_S": "3",
               "GPUBROKER_CELERY_VISIBILITY_TIMEOUT_S": "3"}
        for name in ("DATABASE_URL", "CELERY_BROKER_URL", "GPUBROKER_TEST_DB_NAME",
                     "GPUBROKER_CACHE_PREFIX", "GPUBROKER_CELERY_QUEUE",
                     "PROMETHEUS_MULTIPROC_DIR"):
            env.pop(name, None)
        subprocess.run([sys.executable, "-m", "gpubroker", "migrate", "-v", "0"], cwd=REPO_ROOT,
                       env=env, check=True, timeout=300)
        app = client_app(redis_server.url)
        catalogs.gate.clear()  # the first worker's fetch waits here
        first = _worker(env, tmp_path / "first.log")
        second = None
        try:
            result = app.send_task("gpubroker.sync_provider", args=["vast"], queue="gpubroker")
            wait_until(lambda: len(catalogs.hits) == 1, what="the first worker mid-sync")
            first.kill()  # SIGKILL: no warm shutdown, the message stays unacknowledged
            first.wait(10)
            catalogs.gate.set()
            second = _worker(env, tmp_path / "second.log")
            summary = result.get(timeout=RESULT_S)
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    process.terminate()
                    process.wait(30)
            catalogs.close()
            app.close()
    rows = sum(1 for _ in VAST_LATEST.open()) - 1
    assert summary["status"] == "ok" and summary["seen"] == rows
    assert len(catalogs.hits) == 2  # fetched by the killed worker, then by the second
    offers, runs = _stored(tmp_path / "data" / "gpubroker.sqlite3")
    assert offers == summary["offers"] > 0 and runs == ["ok"]  # the killed one wrote nothing
    assert "sync vast skipped" not in (tmp_path / "second.log").read_text()

