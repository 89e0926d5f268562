"""How many ASGI workers `gpubroker serve` runs, and the shared metrics folder they need.

Several workers are separate processes; Prometheus' client keeps each one's samples in memory
unless ``PROMETHEUS_MULTIPROC_DIR`` names a folder where every process writes its own file and
``/metrics`` (served by any worker) adds them all up. The folder must be set before
``prometheus_client`` is first imported, so this module imports nothing from Django.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def workers_default() -> int:
    """The CPU count when Redis is configured, else 1.

    Without Redis the cache (rate-limit counters) and the WebSocket channel layer live in
    one process's memory; several workers would each count limits on their own and a sync
    in the supervising process would not reach anyone's WebSocket. ``--workers N`` still
    runs N workers on the embedded default when asked for.
    """
    if os.environ.get("REDIS_URL"):
        return max(1, os.cpu_count() or 1)
    return 1


def workers_from_argv(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--workers", type=int, default=None)
    known, _ = parser.parse_known_args(argv)
    return workers_default() if known.workers is None else max(1, known.workers)


def metrics_dir_prepare(workers: int) -> Path | None:
    """With several workers, point ``PROMETHEUS_MULTIPROC_DIR`` at an empty folder (a new
    temporary one unless the variable is set; a set one is emptied of old samples)."""
    if workers <= 1:
        return None
    given = os.environ.get(MULTIPROC_ENV)
    folder = Path(given) if given else Path(tempfile.mkdtemp(prefix="gpubroker-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder
