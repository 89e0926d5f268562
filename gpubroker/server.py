"""`gpubroker serve`: migrate, first sync, periodic re-sync in the background, ASGI server.

With ``workers`` > 1 uvicorn supervises that many worker processes on one port; the
periodic jobs (the embedded scheduler) run once, as threads of this supervising process,
never per worker, and not at all with ``scheduler=False`` (a deployment whose Celery beat
runs them). uvicorn's own access log is off: common/logs.py writes one line per request.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections

from common.jobs import backoff_s, job_run
from common.outages import outage_logged, outage_of
from gpubroker import tables

log = logging.getLogger("gpubroker.serve")
DAY_S = 24 * 3600


def port_taken(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be served on (taken, not an address here), or None."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port,
                                                             type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind(address)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def serve_forever(*, host: str, port: int, initial_sync: bool, interval_s: int | None,
                  workers: int = 1, scheduler: bool = True) -> int:
    import uvicorn

    if (why := port_taken(host, port)) is not None:  # before any work, and before "serving on"
        print(f"error: cannot serve on {host}:{port}: {why}. Is another server running? "
              "Pick another port: gpubroker serve --port N (or make serve PORT=N)",
              file=sys.stderr, flush=True)
        return 2
    from market.adapters.registry import adapters_configured
    from market.models import Offer
    from market.services.providers import providers_register

    print("applying migrations …", flush=True)
    call_command("migrate", verbosity=0)
    providers_register(adapters_configured())  # every provider shows in /providers/config
    empty = initial_sync and not Offer.objects.exists()
    if settings.GPUBROKER_SCHEDULER == "celery":
        if error := _celery_schedule(initial_sync=empty):
            print(error, flush=True)
            return 2
    else:
        _embedded_schedule(initial_sync=empty, interval_s=interval_s if scheduler else 0)
    if scheduler:
        _every(DAY_S, "purge_tokens", _purge_tokens)
    os.environ.setdefault("GPUBROKER_GC_FREEZE", "1")  # common.memory, in every worker
    print(f"serving on http://{host}:{port} with {workers} worker(s)  "
          f"(API docs: http://{host}:{port}/api/v2/docs)", flush=True)
    uvicorn.run("config.asgi:application", host=host, port=port, log_level="info",
                lifespan="off", workers=workers, access_log=False,
                # WebSocket frames over the limit are refused by the server itself (close
                # 1009) before they are buffered; realtime.limits checks again.
                ws_max_size=settings.GPUBROKER_WS_MAX_FRAME_BYTES)
    return 0


def _embedded_schedule(*, initial_sync: bool, interval_s: int | None) -> None:
    if initial_sync:
        print("the offer store is empty: syncing every provider once (one line each) …",
              flush=True)
        with job_run("sync"):
            _sync_once(progress=True)
    interval = settings.GPUBROKER_SYNC_INTERVAL_S if interval_s is None else interval_s
    if interval > 0:
        _every(interval, "sync", lambda: _sync_once(progress=False))


def _celery_schedule(*, initial_sync: bool) -> str:
    """Syncs run on Celery workers (beat schedules them); an empty store queues one now."""
    from gpubroker.workers import celery_config_error

    if error := celery_config_error():
        return error
    if initial_sync:
        from gpubroker.celery_app import app  # noqa: F401  (tasks are sent through it)
        from market.tasks import sync_all

        sync_all.delay()
        print("the offer store is empty: a sync of every provider is queued for the workers",
              flush=True)
    print("GPUBROKER_SCHEDULER=celery: syncs run on `gpubroker worker`, scheduled by "
          "`gpubroker beat`", flush=True)
    return ""


def _sync_once(*, progress: bool) -> None:
    from market.services.providers import offers_sync_all

    results = offers_sync_all(on_result=tables.sync_progress_line if progress else None)
    if progress:
        print(tables.sync_summary(results), flush=True)


def _purge_tokens() -> None:
    from accounts.services.refresh import token_families_purge

    log.info("purged %d expired refresh-token rows", token_families_purge())


def _every(interval_s: int, name: str, job: Callable[[], None]) -> None:
    """Run ``job`` every ``interval_s`` seconds in a daemon thread (the embedded scheduler).

    A run that fails (the database restarting under a sync, say) is retried after
    ``GPUBROKER_SYNC_RETRY_BACKOFF_S``, doubling, never later than the next regular run.
    """

    def loop() -> None:
        failures = 0
        while True:
            time.sleep(_wait_s(interval_s, failures))
            failures = 0 if _run_once(name, job) else failures + 1
            if failures:
                log.warning("periodic %s failed: retry %d in %.1fs", name, failures,
                            _wait_s(interval_s, failures))

    threading.Thread(target=loop, name=f"gpubroker-{name}", daemon=True).start()
    log.info("periodic %s every %ss", name, interval_s)


def _wait_s(interval_s: int, failures: int) -> float:
    if not failures:
        return float(interval_s)
    return min(float(interval_s), backoff_s(failures - 1,
                                            base_s=settings.GPUBROKER_SYNC_RETRY_BACKOFF_S,
                                            cap_s=settings.GPUBROKER_SYNC_RETRY_BACKOFF_MAX_S))


def _run_once(name: str, job: Callable[[], None]) -> bool:
    """One run with fresh database connections around it; whether it succeeded."""
    close_old_connections()  # a connection the database dropped is replaced, not reused
    try:
        with job_run(name):
            job()
        return True
    except Exception as exc:  # the scheduler must outlive one bad run
        if (outage := outage_of(exc)) is not None:  # no bug: one line, no traceback
            outage_logged(outage, exc, where=f"periodic {name}")
        else:
            log.exception("periodic %s failed", name)
        return False
    finally:
        close_old_connections()
