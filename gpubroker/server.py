"""`gpubroker serve`: migrate, first sync, periodic re-sync in the background, ASGI server."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections

from gpubroker import tables

log = logging.getLogger("gpubroker.serve")
DAY_S = 24 * 3600


def serve_forever(*, host: str, port: int, initial_sync: bool, interval_s: int | None) -> int:
    import uvicorn

    from market.adapters.registry import adapters_configured
    from market.models import Offer
    from market.services.providers import providers_register

    print("applying migrations …", flush=True)
    call_command("migrate", verbosity=0)
    providers_register(adapters_configured())  # every provider shows in /providers/config
    if initial_sync and not Offer.objects.exists():
        print("the offer store is empty: syncing every provider once (one line each) …",
              flush=True)
        _sync_once(progress=True)
    interval = settings.GPUBROKER_SYNC_INTERVAL_S if interval_s is None else interval_s
    if interval > 0:
        _every(interval, "sync", lambda: _sync_once(progress=False))
    _every(DAY_S, "purge expired refresh tokens", _purge_tokens)
    print(f"serving on http://{host}:{port}  (API docs: http://{host}:{port}/api/v2/docs)",
          flush=True)
    uvicorn.run("config.asgi:application", host=host, port=port, log_level="info",
                lifespan="off")
    return 0


def _sync_once(*, progress: bool) -> None:
    from market.services.providers import offers_sync_all

    results = offers_sync_all(on_result=tables.sync_progress_line if progress else None)
    if progress:
        print(tables.sync_summary(results), flush=True)


def _purge_tokens() -> None:
    from accounts.services.refresh import token_families_purge

    log.info("purged %d expired refresh-token rows", token_families_purge())


def _every(interval_s: int, name: str, job: Callable[[], None]) -> None:
    """Run ``job`` every ``interval_s`` seconds in a daemon thread (the embedded scheduler)."""

    def loop() -> None:
        while True:
            time.sleep(interval_s)
            close_old_connections()
            try:
                job()
            except Exception:  # the scheduler must outlive one bad run
                log.exception("periodic %s failed", name)
            finally:
                close_old_connections()

    threading.Thread(target=loop, name=f"gpubroker-{name}", daemon=True).start()
    log.info("periodic %s every %ss", name, interval_s)
