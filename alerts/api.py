"""`/api/v2/alerts`: a user's price alerts (create, list, get, pause, resume, delete) and the
notifications they fired (list, mark read). Bearer token; another user's ids answer 404.
Alerts count against the user's plan (``accounts.plans``: Free 5, Pro 100, Enterprise
unlimited); creating one over the limit answers 403 ``plan_limit`` naming plan and limit."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.params import P, PathEx

from accounts.auth import JWTAuth
from alerts import selectors
from alerts.models import Alert, Notification
from alerts.schemas import AlertIn, AlertOut, MarkedOut, NotificationOut, NotificationsQuery
from alerts.services import alerts
from common.schemas import ErrorOut

router = Router(auth=JWTAuth())
AUTHED = {401: ErrorOut, 429: ErrorOut}
MISSING = {404: ErrorOut, **AUTHED}
Id = PathEx[int, P(ge=1, le=2**63 - 1)]


def _out(alert: Alert) -> dict[str, Any]:
    return {**{f: getattr(alert, f) for f in (
        "id", "name", "filters", "max_price_per_gpu_hour", "max_price_per_hour", "fired_count",
        "last_fired_at", "created_at", "updated_at")},
        "status": "paused" if alert.paused else "active",
        "offers_meeting": getattr(alert, "offers_meeting", 0)}


@router.post("/", auth=JWTAuth(quota="alerts"),
             response={201: AlertOut, 400: ErrorOut, 403: ErrorOut, **AUTHED},
             summary="Create an alert (403 plan_limit once the plan's alerts are reached)")
def alert_create(request: HttpRequest, body: AlertIn) -> Status[dict[str, Any]]:
    alert = alerts.alert_create(user=request.auth, name=body.name, filters=body.filters,
                                max_price_per_gpu_hour=body.max_price_per_gpu_hour,
                                max_price_per_hour=body.max_price_per_hour)
    return Status(201, _out(alert))


@router.get("/", response={200: list[AlertOut], **AUTHED}, summary="Your alerts")
def alert_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(a) for a in selectors.alerts_of(user=request.auth)]


@router.get("/notifications", response={200: list[NotificationOut], **AUTHED},
            summary="Your notifications, newest first")
def notification_list(request: HttpRequest, query: Query[NotificationsQuery]
                      ) -> list[Notification]:
    return selectors.notifications_of(user=request.auth, unread=query.unread,
                                      limit=query.limit, offset=query.offset)


@router.post("/notifications/read", response={200: MarkedOut, **AUTHED},
             summary="Mark all your notifications read")
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": alerts.notifications_mark_all_read(user=request.auth)}


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **MISSING},
             summary="Mark one notification read")
def notification_read(request: HttpRequest, notification_id: Id) -> Notification:
    return alerts.notification_mark_read(user=request.auth, notification_id=notification_id)


@router.get("/{alert_id}", response={200: AlertOut, **MISSING}, summary="One of your alerts")
def alert_get(request: HttpRequest, alert_id: Id) -> dict[str, Any]:
    return _out(selectors.alert_of(user=request.auth, alert_id=alert_id))


@router.post("/{alert_id}/pause", response={200: AlertOut, **MISSING}, summary="Pause an alert")
def alert_pause(request: HttpRequest, alert_id: Id) -> dict[str, Any]:
    return _out(alerts.alert_pause(user=request.auth, alert_id=alert_id))


@router.post("/{alert_id}/resume", response={200: AlertOut, **MISSING},
             summary="Resume an alert (armed on the offers of now)")
def alert_resume(request: HttpRequest, alert_id: Id) -> dict[str, Any]:
    return _out(alerts.alert_resume(user=request.auth, alert_id=alert_id))


@router.delete("/{alert_id}", response={204: None, **MISSING}, summary="Delete an alert")
def alert_delete(request: HttpRequest, alert_id: Id) -> Status[None]:
    alerts.alert_delete(user=request.auth, alert_id=alert_id)
    return Status(204, None)
