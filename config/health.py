"""`/health`: is the database reachable, can the offers served be trusted, how old is the
last successful sync.

    200 {"status": "ok", ...}
    200 {"status": "degraded", "reasons": [...], ...}: the service answers, but the store is
        empty, every provider's last sync failed, or offers come from the bundled snapshot
    503 {"status": "error", "database": "unreachable", ...}
"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from common.outages import outage_logged, outage_of, outage_response_mark
from market.selectors import last_success_at, store_health

log = logging.getLogger(__name__)


def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last = last_success_at()
        reasons = store_health()
    except Exception as exc:  # the one place that must answer even when the DB is down
        outage = outage_of(exc)
        if outage is None:  # not an outage: a bug, with its traceback
            log.error("health check failed", exc_info=exc)
        else:
            outage_logged(outage, exc, where="GET /health")
        detail = outage.detail if outage else f"{type(exc).__name__} while checking the store"
        return outage_response_mark(JsonResponse(
            {"status": "error", "database": "unreachable", "detail": detail,
             "code": outage.code if outage else "server_error"}, status=503))
    age = (timezone.now() - last).total_seconds() if last else None
    return JsonResponse({
        "status": "degraded" if reasons else "ok",
        "reasons": reasons,
        "database": "ok",
        "last_sync_at": last.isoformat() if last else None,
        "last_sync_age_s": round(age, 1) if age is not None else None,
    })
