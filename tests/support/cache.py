"""Emptying the cache between tests without touching anybody else's keys.

Django's ``cache.clear()`` on Redis is FLUSHDB: it would also drop the rate-limit windows,
locks and channel messages of the other pytest-xdist worker and of other runs sharing the
Redis database. Each worker has a key prefix of its own (config/settings.py), so deleting
the keys under that prefix is enough."""

from __future__ import annotations

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


def cache_clear_own() -> None:
    cache = caches["default"]
    if not isinstance(cache, RedisCache):
        cache.clear()  # in-process: this process's keys only
        return
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
