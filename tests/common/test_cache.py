"""``common.cache``: one Redis client (connection pool) per process, not one per request.

A private redis-server counts the connections it receives. Django keeps cache objects per
thread and per async context, and every request through ``config.asgi.application`` runs in
a context of its own (as under uvicorn): with Django's stock Redis cache each API request
opened a connection of its own for the rate limit. Here they share the process's pool, and a
connection broken by a Redis restart is replaced on the next use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from common.cache import ProcessRedisCache
from common.outages import REDIS_ERRORS
from tests.support.asgi import asgi_get
from tests.support.redis_server import PrivateRedis, private_redis

pytestmark = pytest.mark.django_db(transaction=True)
REQUESTS = 20


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PrivateRedis]:
    with private_redis(tmp_path) as found:
        yield found


def _received(probe: redis.Redis) -> int:
    """Connections the server has accepted so far (the probe's own one included)."""
    return int(probe.info("stats")["total_connections_received"])


async def _get(path: str) -> int:
    return (await asgi_get(path)).status


def test_api_requests_through_asgi_share_the_process_s_connection(
        server: PrivateRedis, settings: pytest.FixtureRequest) -> None:
    settings.CACHES = {"default": {"BACKEND": "common.cache.ProcessRedisCache",
                                   "LOCATION": server.url, "KEY_PREFIX": "one"}}
    probe = redis.Redis.from_url(server.url)
    before = _received(probe)
    statuses = [asyncio.run(_get("/api/v2/math/gpus")) for _ in range(REQUESTS)]
    assert statuses == [200] * REQUESTS
    assert _received(probe) - before == 1  # the pool's one connection, kept
    (window,) = probe.keys("one:*rl:api_ip:*")
    assert int(probe.get(window)) == REQUESTS  # each request was counted


def test_cache_objects_of_one_process_share_one_client(server: PrivateRedis) -> None:
    first = ProcessRedisCache(server.url, {"KEY_PREFIX": "a"})
    second = ProcessRedisCache(server.url, {"KEY_PREFIX": "b"})
    assert first._cache is second._cache
    assert first._cache.get_client(write=True) is second._cache.get_client(write=True)
    first.set("k", 1)
    second.set("k", 2)
    assert (first.get("k"), second.get("k")) == (1, 2)  # prefixes still kept apart


def test_a_redis_restart_gives_errors_then_a_new_connection(server: PrivateRedis) -> None:
    cache = ProcessRedisCache(server.url, {"KEY_PREFIX": "r"})
    cache.set("k", 1)
    server.kill()
    with pytest.raises(REDIS_ERRORS):
        cache.get("k")
    server.start()
    assert cache.get("k") is None  # a new server without persistence: the key is gone
    cache.set("k", 2)
    assert cache.get("k") == 2

