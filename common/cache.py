"""Django's Redis cache with one client, and so one connection pool, per process.

Django keeps its cache objects per thread and per async context (``caches`` is an asgiref
``Local``). Under ASGI every request runs in a context of its own, so the stock
``RedisCache`` built a new ``RedisCacheClient`` for each request that touched the cache: a new
connection pool, hence a new TCP connection and a ``HELLO`` to Redis per request, dropped
when the request ended (counted with Redis ``INFO commandstats``: one ``HELLO`` per API
request under load; docs/BENCHMARKS.md). It also wraps the pool in a new ``redis.Redis`` on
every operation (~0.2 ms in redis-py 8).

Here the client is shared by every cache object of the process with the same servers and
options, and keeps one ``redis.Redis`` per pool. Both are thread-safe in redis-py (a command
takes a connection from the pool and gives it back), the pool is bounded by redis-py's own
limit, and it starts over in a forked child (redis-py checks the pid). A connection broken by
a Redis restart is dropped and reconnected by redis-py on its next use.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property

_clients: dict[str, ProcessRedisCacheClient] = {}
_clients_lock = threading.Lock()


class ProcessRedisCacheClient(RedisCacheClient):
    """``RedisCacheClient`` that keeps one ``redis.Redis`` per connection pool."""

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._redis_by_pool: dict[int, Any] = {}
        self._lock = threading.Lock()

    def get_client(self, key: str | None = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        found = self._redis_by_pool.get(index)
        if found is None:
            with self._lock:
                if index not in self._pools:
                    self._pools[index] = self._pool_class.from_url(self._servers[index],
                                                                   **self._pool_options)
                found = self._redis_by_pool.setdefault(
                    index, self._client(connection_pool=self._pools[index]))
        return found


class ProcessRedisCache(RedisCache):
    """``RedisCache`` whose client is the process's one for these servers and options."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ProcessRedisCacheClient

    @cached_property
    def _cache(self) -> ProcessRedisCacheClient:
        key = repr((self._servers, sorted(self._options.items())))
        with _clients_lock:
            found = _clients.get(key)
            if found is None:
                found = _clients[key] = self._class(self._servers, **self._options)
        return found
