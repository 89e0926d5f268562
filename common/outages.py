"""A backing store going away (the database restarting, Redis down) is an outage, not a bug:
its exceptions are answered 503 ``{"detail", "code", "retry_after_s"}`` with ``Retry-After``,
logged as one warning line (no traceback), and the next request after it returns works
again (database connections are health-checked, Redis clients reconnect)."""

from __future__ import annotations

import logging
from typing import Any

import redis.exceptions
from django.db import InterfaceError, OperationalError

from common.errors import ServiceUnavailable

DATABASE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
REDIS_ERRORS: tuple[type[Exception], ...] = (redis.exceptions.ConnectionError,
                                             redis.exceptions.TimeoutError)
RETRY_AFTER_S = 5
log = logging.getLogger("gpubroker.outages")


def outage_of(exc: BaseException) -> ServiceUnavailable | None:
    """The 503 to answer for ``exc`` when it says a backing store is unreachable, else None."""
    if isinstance(exc, DATABASE_ERRORS):
        return ServiceUnavailable("the database cannot be reached right now; retry in a few "
                                  "seconds", code="database_unavailable",
                                  retry_after_s=RETRY_AFTER_S)
    if isinstance(exc, REDIS_ERRORS):
        return ServiceUnavailable("the cache (Redis) cannot be reached right now; retry in a "
                                  "few seconds", code="cache_unavailable",
                                  retry_after_s=RETRY_AFTER_S)
    return None


def outage_logged(outage: ServiceUnavailable, exc: BaseException, *, where: str) -> None:
    """One line per refused request: what went away and the driver's words, no traceback."""
    log.warning("%s on %s: %s: %s", outage.code, where, type(exc).__name__,
                str(exc).strip().splitlines()[0] if str(exc).strip() else "")


def outage_response_mark(response: Any) -> Any:
    """Django logs every 5xx at ERROR ("Service Unavailable: /path"); an outage is already
    logged once, as a warning, by ``outage_logged``."""
    response._has_been_logged = True  # django.utils.log.log_response skips it
    return response
