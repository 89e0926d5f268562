"""Fixed-window rate limits in Django's cache (Redis when ``REDIS_URL`` is set).

``ratelimit_hit`` counts first and decides after, with the cache's atomic ``incr``
(Redis INCR), so parallel requests from many workers cannot slip past the limit
together. Limits come from ``settings.GPUBROKER_RATE_LIMITS`` as ``"COUNT/SECONDS"``.
Identifiers (e-mail, IP, user id) are hashed before they become cache keys.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCacheClient

from common.errors import RateLimited


@dataclass(frozen=True)
class Rate:
    count: int
    window_s: int

    def __post_init__(self) -> None:
        if self.count < 1 or self.window_s < 1:
            raise ValueError(f"rate must be positive, got {self.count}/{self.window_s}")


def rate_parse(text: str) -> Rate:
    """``"10/900"`` -> ten per 900 seconds."""
    count, _, window = text.partition("/")
    return Rate(count=int(count), window_s=int(window))


def _key(scope: str, ident: str, window_start: int) -> str:
    digest = hashlib.sha256(f"{scope}\0{ident}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{window_start}"


def _incr(key: str, timeout_s: int, cost: int) -> int:
    """Add ``cost`` to the window's counter, created with ``timeout_s`` to live; the new count.
    On Redis one round trip (``SET NX EX`` + ``INCRBY``, pipelined); elsewhere the cache API."""
    client = _redis_client()
    if client is not None:
        full_key = cache.make_and_validate_key(key)
        pipe = client.pipeline(transaction=False)
        pipe.set(full_key, 0, ex=timeout_s, nx=True)
        pipe.incrby(full_key, cost)
        return int(pipe.execute()[1])
    cache.add(key, 0, timeout=timeout_s)
    try:
        return cache.incr(key, cost)
    except ValueError:  # expired between add and incr
        cache.add(key, cost, timeout=timeout_s)
        return cost


def _redis_client() -> Any:
    """The redis-py client under Django's Redis cache, or None (the process's one, kept:
    common.cache)."""
    client = getattr(cache, "_cache", None)  # RedisCache's client (LocMem's is a dict)
    if not isinstance(client, RedisCacheClient):
        return None
    return client.get_client(None, write=True)


def ratelimit_hit(*, scope: str, ident: str, now: float | None = None, cost: int = 1) -> None:
    """Count ``cost`` attempts (or units, e.g. MiB) of ``ident`` in ``scope``; raise
    RateLimited once over the limit."""
    ratelimit_hit_rate(scope=scope, ident=ident, cost=cost,
                       rate=rate_parse(settings.GPUBROKER_RATE_LIMITS[scope]), now=now)


def ratelimit_hit_rate(*, scope: str, ident: str, rate: Rate, now: float | None = None,
                       cost: int = 1) -> None:
    """``ratelimit_hit`` with an explicit rate (plan limits)."""
    now = time.time() if now is None else now
    window_start = int(now // rate.window_s) * rate.window_s
    count = _incr(_key(scope, ident, window_start), rate.window_s + 1, cost)
    if count > rate.count:
        retry_after_s = max(1, math.ceil(window_start + rate.window_s - now))
        raise RateLimited("Too many requests; try again later", retry_after_s=retry_after_s)


def ratelimit_reset(*, scope: str, ident: str, now: float | None = None) -> None:
    """Forget ``ident``'s attempts in the current window (after a successful login)."""
    rate = rate_parse(settings.GPUBROKER_RATE_LIMITS[scope])
    now = time.time() if now is None else now
    cache.delete(_key(scope, ident, int(now // rate.window_s) * rate.window_s))


def ratelimit_count(*, scope: str, ident: str, window_s: int, now: float | None = None) -> int:
    """How many attempts ``ident`` made in ``scope``'s current window (usage display)."""
    now = time.time() if now is None else now
    return int(cache.get(_key(scope, ident, int(now // window_s) * window_s)) or 0)
