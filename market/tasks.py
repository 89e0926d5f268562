"""Celery tasks (``GPUBROKER_SCHEDULER=celery``): the same per-provider syncs as ``serve``.

``gpubroker.sync_all`` (sent by beat) fans out one ``gpubroker.sync_provider`` per enabled
provider. Each runs ``offers_sync_all(only=[provider])`` under the provider's Redis lock, so
the after-commit listeners (offer index, WebSocket deltas, alerts) and the metrics are those
of any other sync. A failed provider is retried with exponential backoff; one whose lock is
held elsewhere is skipped, not queued twice.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from celery.signals import worker_init
from django.conf import settings
from prometheus_client import start_http_server

from market.services.providers import offers_sync_all, providers_to_sync
from market.services.sync_lock import provider_sync_lock

log = logging.getLogger(__name__)
LOCKED = "locked"


@shared_task(name="gpubroker.sync_all")
def sync_all() -> list[str]:
    """Queue one sync per enabled provider; the names queued."""
    names = providers_to_sync()
    for name in names:
        sync_provider.delay(name)
    return names


@shared_task(bind=True, name="gpubroker.sync_provider", max_retries=None)
def sync_provider(self: Task, provider: str) -> dict[str, Any]:
    """Sync one provider under its lock; retried with backoff while it fails."""
    with provider_sync_lock(provider) as held:
        if not held:
            log.info("sync %s skipped: another worker holds its lock", provider)
            return {"provider": provider, "status": LOCKED}
        result = offers_sync_all(only=[provider], snapshot=False)[0]
    if result.status == "failed" and self.request.retries < settings.GPUBROKER_SYNC_RETRIES:
        countdown = retry_backoff_s(self.request.retries)
        log.warning("sync %s failed (%s): retry %d in %.1fs", provider, result.error,
                    self.request.retries + 1, countdown)
        raise self.retry(countdown=countdown)
    return result.summary()


def retry_backoff_s(retries: int) -> float:
    """Seconds before retry ``retries + 1``: doubling from the base, capped."""
    base = settings.GPUBROKER_SYNC_RETRY_BACKOFF_S
    return float(min(base * 2 ** retries, settings.GPUBROKER_SYNC_RETRY_BACKOFF_MAX_S))


@worker_init.connect
def _metrics_export(**_: Any) -> None:
    """A worker's sync metrics live in its process: export them on their own port."""
    port = settings.GPUBROKER_WORKER_METRICS_PORT
    if port:
        start_http_server(port, addr=settings.GPUBROKER_WORKER_METRICS_ADDR)
        log.info("worker metrics on http://%s:%d/metrics",
                 settings.GPUBROKER_WORKER_METRICS_ADDR, port)
