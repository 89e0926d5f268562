"""`gpubroker worker` and `gpubroker beat`: the Celery side of ``GPUBROKER_SCHEDULER=celery``.

Both take Celery's own options after the command (``gpubroker worker --concurrency 8``).
A worker defaults to the threads pool: a sync waits on HTTP and the database, and in one
process its metrics can be exported (``GPUBROKER_WORKER_METRICS_PORT``).
"""

from __future__ import annotations

import sys

from django.conf import settings

WORKER_DEFAULTS = ["--loglevel=INFO", "--pool=threads", "--concurrency=4"]
BEAT_DEFAULTS = ["--loglevel=INFO"]
NO_BROKER = ("error: Celery needs a broker: set REDIS_URL (or CELERY_BROKER_URL), e.g. "
             "redis://127.0.0.1:6379/0; the same Redis carries the WebSocket channel layer")
NO_LAYER = ("error: with Celery, syncs run in other processes: set REDIS_URL so their deltas "
            "and alerts reach the WebSocket clients through Redis")


def worker(argv: list[str]) -> int:
    return _celery(["worker", *_with_defaults(WORKER_DEFAULTS, argv)])


def beat(argv: list[str]) -> int:
    return _celery(["beat", *_with_defaults(BEAT_DEFAULTS, argv)])


def celery_config_error() -> str:
    """Why Celery cannot run with these settings ('' when it can)."""
    if not settings.CELERY_BROKER_URL:
        return NO_BROKER
    if not settings.REDIS_URL:
        return NO_LAYER
    return ""


def _with_defaults(defaults: list[str], argv: list[str]) -> list[str]:
    """Celery options, ours first unless the caller names the same option."""
    given = {a.split("=")[0].lstrip("-") for a in argv if a.startswith("-")}
    return [d for d in defaults if d.split("=")[0].lstrip("-") not in given] + argv


def _celery(argv: list[str]) -> int:
    if error := celery_config_error():
        print(error, file=sys.stderr)
        return 2
    from gpubroker.celery_app import app

    app.start(argv)
    return 0
