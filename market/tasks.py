"""Celery tasks (``GPUBROKER_SCHEDULER=celery``): the same per-provider syncs as ``serve``.

``gpubroker.sync_all`` (sent by beat) fans out one ``gpubroker.sync_provider`` per enabled
provider. Each runs ``offers_sync_all(only=[provider])`` under the provider's Redis lock, so
the after-commit listeners (offer index, WebSocket deltas, alerts) and the metrics are those
of any other sync. A failed provider is retried with exponential backoff; one whose lock is
held elsewhere is skipped, not queued twice. A sync the database or Redis dropped mid-way
(its transaction rolled back) is retried the same way, without a limit: the store comes
back. Tasks are acknowledged late (settings), so one whose worker died is run again.
Every run is a job (``common.jobs.job_run``: ``gpubroker_job_runs_total{job=...}``), as the
embedded scheduler's are.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from celery.signals import worker_init
from django.conf import settings
from django.db import close_old_connections
from prometheus_client import start_http_server

from common.jobs import backoff_s, job_run
from common.outages import DATABASE_ERRORS, REDIS_ERRORS
from market.services.providers import offers_sync_all, providers_to_sync
from market.services.sync import SyncResult
from market.services.sync_lock import provider_sync_lock

log = logging.getLogger(__name__)
LOCKED = "locked"


@shared_task(name="gpubroker.sync_all")
def sync_all() -> list[str]:
    """Queue one sync per enabled provider; the names queued."""
    with job_run("sync_all"):
        names = providers_to_sync()
        for name in names:
            sync_provider.delay(name)
    return names


@shared_task(bind=True, name="gpubroker.sync_provider", max_retries=None)
def sync_provider(self: Task, provider: str) -> dict[str, Any]:
    """Sync one provider under its lock; retried with backoff while it fails."""
    with job_run("sync_provider"):
        return _sync_provider(self, provider)


def _sync_provider(task: Task, provider: str) -> dict[str, Any]:
    try:
        result = _sync_locked(provider)
    except DATABASE_ERRORS + REDIS_ERRORS as exc:  # rolled back: nothing half-written
        close_old_connections()  # the retry opens a fresh connection
        countdown = retry_backoff_s(task.request.retries)
        log.warning("sync %s interrupted, a store went away (%s: %s): retry %d in %.1fs",
                    provider, type(exc).__name__, exc, task.request.retries + 1, countdown)
        raise task.retry(countdown=countdown) from exc
    if result is None:
        return {"provider": provider, "status": LOCKED}
    if result.status == "failed" and task.request.retries < settings.GPUBROKER_SYNC_RETRIES:
        countdown = retry_backoff_s(task.request.retries)
        log.warning("sync %s failed (%s): retry %d in %.1fs", provider, result.error,
                    task.request.retries + 1, countdown)
        raise task.retry(countdown=countdown)
    return result.summary()


def _sync_locked(provider: str) -> SyncResult | None:
    """The provider's sync under its lock; None when another worker holds the lock."""
    with provider_sync_lock(provider) as held:
        if not held:
            log.info("sync %s skipped: another worker holds its lock", provider)
            return None
        return offers_sync_all(only=[provider], snapshot=False)[0]


def retry_backoff_s(retries: int) -> float:
    """Seconds before retry ``retries + 1``: doubling from the base, capped."""
    return backoff_s(retries, base_s=settings.GPUBROKER_SYNC_RETRY_BACKOFF_S,
                     cap_s=settings.GPUBROKER_SYNC_RETRY_BACKOFF_MAX_S)


@worker_init.connect
def _metrics_export(**_: Any) -> None:
    """A worker's sync metrics live in its process: export them on their own port."""
    port = settings.GPUBROKER_WORKER_METRICS_PORT
    if port:
        start_http_server(port, addr=settings.GPUBROKER_WORKER_METRICS_ADDR)
        log.info("worker metrics on http://%s:%d/metrics",
                 settings.GPUBROKER_WORKER_METRICS_ADDR, port)
