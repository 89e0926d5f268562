"""A real `gpubroker serve` (and its companions) over private engines, as the ops fault and
topology tests run it: one environment recipe, one migrate, one supervised server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import REPO_ROOT
from tests.support.catalogs import CatalogServer
from tests.support.celery_worker import free_port
from tests.test_serve import _wait

# Variables of the test run itself that a stack must not inherit.
RUN_ONLY = ("CELERY_BROKER_URL", "GPUBROKER_TEST_DB_NAME", "PROMETHEUS_MULTIPROC_DIR")


def stack_env(*, data_dir: Path, catalogs: CatalogServer, clouds: str = "vast",
              drop: tuple[str, ...] = (), **settings: str) -> dict[str, str]:
    """This process's environment, minus the run's own variables and ``drop``, syncing only
    ``clouds`` from the local catalog server, logging JSON, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if k not in (*RUN_ONLY, *drop)}
    return {**env, "GPUBROKER_DATA_DIR": str(data_dir), "GPUBROKER_CATALOG_URL": catalogs.url,
            "GPUBROKER_CATALOG_CLOUDS": clouds, "GPUBROKER_CATALOG_DIR": "",
            "GPUBROKER_LIVE_PROVIDERS": "", "GPUBROKER_DISABLED_PROVIDERS": "",
            "GPUBROKER_LOG_FORMAT": "json", **settings}


def migrate(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "gpubroker", "migrate", "-v", "0"], cwd=REPO_ROOT,
                   env=env, check=True, timeout=300)


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("w") as out:
        return subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@contextmanager
def serving(env: dict[str, str], log: Path, *args: str) -> Iterator[str]:
    """``gpubroker serve --port P *args`` until the block ends; yields its base URL once
    /health answers."""
    port = free_port()
    process = spawn([sys.executable, "-m", "gpubroker", "serve", "--port", str(port), *args],
                    env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process, log)
        yield base
    finally:
        stop([process])
