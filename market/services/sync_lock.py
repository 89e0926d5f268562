"""A Redis lock per provider, so that one provider never syncs twice at once across workers.

The lock lives ``GPUBROKER_SYNC_LOCK_TTL_S`` and its holder renews it every third of that
while the sync runs, so a long sync keeps it and a worker that died (killed mid-task) frees
it within the TTL: its task, acknowledged late, is delivered again
(``GPUBROKER_CELERY_VISIBILITY_TIMEOUT_S``) and finds the lock free. It is released only by
its holder (redis-py's token check), so a sync that outlived its lock never frees another
worker's.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import redis
from django.conf import settings
from redis.lock import Lock

KEY = "gpubroker:sync-lock:{provider}"


def sync_lock_key(provider: str) -> str:
    return settings.GPUBROKER_SYNC_LOCK_PREFIX + KEY.format(provider=provider)


def _client() -> redis.Redis:
    url = settings.REDIS_URL or settings.CELERY_BROKER_URL
    return redis.Redis.from_url(url)


@contextmanager
def provider_sync_lock(provider: str) -> Iterator[bool]:
    """Hold ``provider``'s lock while the block runs; yields False if another holds it."""
    ttl_s = settings.GPUBROKER_SYNC_LOCK_TTL_S
    # thread_local=False: the renewing thread must see the holder's token
    lock = _client().lock(sync_lock_key(provider), timeout=ttl_s, blocking=False,
                          thread_local=False)
    if not lock.acquire():
        yield False
        return
    done = threading.Event()
    renewer = threading.Thread(target=_renew, args=(lock, ttl_s / 3, done), daemon=True,
                               name=f"sync-lock-{provider}")
    renewer.start()
    try:
        yield True
    finally:
        done.set()
        renewer.join()
        with suppress(redis.exceptions.LockError):  # expired, maybe taken: no longer ours
            lock.release()


def _renew(lock: Lock, every_s: float, done: threading.Event) -> None:
    while not done.wait(every_s):
        with suppress(redis.exceptions.RedisError):  # Redis away, or the lock lost: the
            lock.reacquire()                         # holder's sync goes on regardless
