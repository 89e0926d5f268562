"""Where the time of one offers request goes in-process, and what it asks of the database and
Redis: python bench/load/profile_offers.py [--requests 300] [--via asgi|client]

``--via asgi`` (the default) sends each request through ``config.asgi.application`` in an
asyncio task of its own, as uvicorn does: a context of its own per request, the middleware
and view in that request's sync thread. Django keeps cache objects and database connections
per context and thread, so only this path shows what a served request costs there (a
connection per request, say); ``--via client`` is Django's test client in one thread.
Two profiles are printed in asgi mode: the event loop's thread and the requests' sync threads.
It also counts, per request, the database connections opened and queries run and, with
``REDIS_URL`` set, the Redis connections accepted and commands run (the server's own
counters: use a Redis of your own).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.load.inprocess import environment_set  # noqa: E402

environment_set("gpubroker-prof-")


class Counts:
    """Database connections and queries (every thread), Redis connections and commands."""

    def __init__(self) -> None:
        from django.db.backends.signals import connection_created

        self.connections = self.queries = 0
        connection_created.connect(self._connected, weak=False)

    def _connected(self, connection: Any, **_: Any) -> None:
        self.connections += 1
        connection.execute_wrappers.append(self._query)

    def _query(self, execute: Any, *args: Any) -> Any:
        self.queries += 1
        return execute(*args)

    @staticmethod
    def redis() -> tuple[int, int] | None:
        """(connections accepted, commands run but INFO) of the cache's Redis, or None."""
        from django.core.cache import cache

        client = getattr(getattr(cache, "_cache", None), "get_client", None)
        if client is None:
            return None
        redis = client(write=True)
        stats = redis.info("commandstats")
        commands = sum(v["calls"] for k, v in stats.items() if k != "cmdstat_info")
        return int(redis.info("stats")["total_connections_received"]), commands


def _scope(path: str) -> dict[str, Any]:
    route, _, query = path.partition("?")
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
            "scheme": "http", "path": route, "raw_path": route.encode(),
            "query_string": query.encode(), "root_path": "", "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 8000), "headers": [(b"host", b"localhost")]}


async def _asgi_get(application: Any, path: str) -> int:
    from asgiref.testing import ApplicationCommunicator

    communicator = ApplicationCommunicator(application, _scope(path))
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(30)
    await communicator.receive_output(30)
    await communicator.wait(30)
    return int(start["status"])


async def _asgi_run(path: str, count: int) -> list[int]:
    from config.asgi import application

    # a task per request copies this context, as uvicorn's task per request does
    return [await asyncio.create_task(_asgi_get(application, path)) for _ in range(count)]


def _sync_profiled(profile: cProfile.Profile) -> None:
    """Profile every request's sync thread (the middleware chain and the view)."""
    from config.asgi import django_asgi_app

    inner = django_asgi_app.get_response

    def get_response(request: Any) -> Any:
        profile.enable()
        try:
            return inner(request)
        finally:
            profile.disable()

    django_asgi_app.get_response = get_response


def _run(via: str, path: str, count: int) -> list[int]:
    if via == "asgi":
        return asyncio.run(_asgi_run(path, count))
    from django.test import Client

    client = Client(HTTP_HOST="localhost")  # an allowed host in every mode
    return [client.get(path).status_code for _ in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--path", default="/api/v2/providers/?gpu=H100&per_page=50")
    parser.add_argument("--via", choices=("asgi", "client"), default="asgi")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    from market.services.providers import offers_sync_all

    call_command("migrate", verbosity=0)
    offers_sync_all()
    assert _run(args.via, args.path, 2) == [200, 200]
    counts, redis_before = Counts(), Counts.redis()
    loop_profile, sync_profile = cProfile.Profile(), cProfile.Profile()
    if args.via == "asgi":
        _sync_profiled(sync_profile)
    started, cpu = time.perf_counter(), time.process_time()
    loop_profile.enable()
    statuses = _run(args.via, args.path, args.requests)
    loop_profile.disable()
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert set(statuses) == {200}, statuses
    n = args.requests
    print(f"{n} requests via {args.via} in {took:.2f}s: {took / n * 1000:.2f} ms each, "
          f"CPU {cpu / n * 1000:.2f} ms each (in-process, profiler on)")
    print(f"Database per request: {counts.connections / n:.3f} connections opened, "
          f"{counts.queries / n:.3f} queries")
    redis_after = Counts.redis()
    if redis_before is not None and redis_after is not None:
        print(f"Redis per request: {(redis_after[0] - redis_before[0]) / n:.3f} connections "
              f"accepted, {(redis_after[1] - redis_before[1]) / n:.3f} commands")
    for name, profile in (("event loop thread", loop_profile), ("sync threads", sync_profile)):
        if profile.getstats():
            print(f"--- {name} ---")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
