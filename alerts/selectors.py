"""Read side of alerts: every query is scoped to its owner; anyone else's id is NotFound."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from django.db.models import Count, QuerySet

from alerts.models import Alert, Notification
from common.errors import NotFound
from market.query.conditions import Condition
from market.query.filters import OfferFilter
from market.query.index import offer_index


def alerts_of(*, user: Any) -> QuerySet[Alert]:
    return (Alert.objects.filter(user=user).annotate(offers_meeting=Count("matches"))
            .order_by("name", "pk"))


def alert_of(*, user: Any, alert_id: int) -> Alert:
    alert = alerts_of(user=user).filter(pk=alert_id).first()
    if alert is None:
        raise NotFound("No such alert")
    return alert


def alerts_active() -> QuerySet[Alert]:
    return Alert.objects.filter(paused=False).order_by("pk")


def notifications_of(*, user: Any, unread: bool, limit: int, offset: int) -> list[Notification]:
    found = Notification.objects.filter(user=user)
    if unread:
        found = found.filter(read_at__isnull=True)
    return list(found.order_by("-created_at", "-pk")[offset:offset + limit])


def notification_of(*, user: Any, notification_id: int) -> Notification:
    notification = Notification.objects.filter(user=user, pk=notification_id).first()
    if notification is None:
        raise NotFound("No such notification")
    return notification


def offers_meeting(*, conditions: list[Condition], among: Iterable[int] | None = None
                   ) -> set[int]:
    """Ids of the stored offers (of ``among`` if given) that meet every condition, decided by
    the market's one filter evaluator on the offer index, as ``GET /providers/`` decides."""
    index = offer_index()
    mask = np.ones(len(index), dtype=bool) if among is None else np.isin(
        index.ids, np.fromiter(among, dtype=np.int64))
    mask &= OfferFilter(tuple(conditions)).mask(index)
    return {int(i) for i in index.ids[mask]}
