"""A Redis lock per provider, so that one provider never syncs twice at once across workers.

The lock expires after ``GPUBROKER_SYNC_LOCK_TTL_S`` (a worker that died holding it frees it
then), and is released only by its holder (redis-py's token check), so a sync that outlived
its lock never frees another worker's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

import redis
from django.conf import settings

KEY = "gpubroker:sync-lock:{provider}"


def sync_lock_key(provider: str) -> str:
    return settings.GPUBROKER_SYNC_LOCK_PREFIX + KEY.format(provider=provider)


def _client() -> redis.Redis:
    url = settings.REDIS_URL or settings.CELERY_BROKER_URL
    return redis.Redis.from_url(url)


@contextmanager
def provider_sync_lock(provider: str) -> Iterator[bool]:
    """Hold ``provider``'s lock while the block runs; yields False if another holds it."""
    lock = _client().lock(sync_lock_key(provider), timeout=settings.GPUBROKER_SYNC_LOCK_TTL_S,
                          blocking=False)
    if not lock.acquire():
        yield False
        return
    try:
        yield True
    finally:
        with suppress(redis.exceptions.LockError):  # expired, maybe taken: no longer ours
            lock.release()
