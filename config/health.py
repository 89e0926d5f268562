"""`/health`: is the database reachable, and how old is the last successful sync."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from market.selectors import last_success_at


def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        last = last_success_at()
    except Exception as exc:  # the one place that must answer even when the DB is down
        return JsonResponse({"status": "error", "database": "unreachable", "detail": str(exc)},
                            status=503)
    age = (timezone.now() - last).total_seconds() if last else None
    return JsonResponse({
        "status": "ok",
        "database": "ok",
        "last_sync_at": last.isoformat() if last else None,
        "last_sync_age_s": round(age, 1) if age is not None else None,
    })
