"""Write side of alerts: create (validated by the query parser), pause, resume, delete, and
marking notifications read. Only the owner reaches an alert (see ``alerts.selectors``).

Arming: when an alert is created or resumed, the offers that already meet it are recorded as
met, so it fires only on a crossing that happens afterwards, never for the state it found.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from alerts.conditions import alert_conditions
from alerts.models import Alert, AlertMatch, Notification
from alerts.selectors import alert_of, notification_of, offers_meeting
from common.errors import InvalidFilter


def alert_create(*, user: Any, name: str, filters: dict[str, Any],
                 max_price_per_gpu_hour: float | None,
                 max_price_per_hour: float | None) -> Alert:
    if max_price_per_gpu_hour is None and max_price_per_hour is None:
        raise InvalidFilter("an alert needs a price limit: max_price_per_gpu_hour or "
                            "max_price_per_hour (USD per hour)")
    now = timezone.now()
    alert = Alert(user=user, name=name.strip(), filters=filters, created_at=now, updated_at=now,
                  max_price_per_gpu_hour=max_price_per_gpu_hour,
                  max_price_per_hour=max_price_per_hour)
    conditions = alert_conditions(alert)  # InvalidFilter names what the parser refused
    with transaction.atomic():
        alert.save()
        _arm(alert, conditions)
    return alert_of(user=user, alert_id=alert.pk)


def alert_pause(*, user: Any, alert_id: int) -> Alert:
    alert = alert_of(user=user, alert_id=alert_id)
    with transaction.atomic():
        Alert.objects.filter(pk=alert.pk).update(paused=True, updated_at=timezone.now())
        AlertMatch.objects.filter(alert=alert).delete()
    return alert_of(user=user, alert_id=alert_id)


def alert_resume(*, user: Any, alert_id: int) -> Alert:
    """Active again, armed on today's offers: what happened while paused does not fire."""
    alert = alert_of(user=user, alert_id=alert_id)
    if alert.paused:
        with transaction.atomic():
            Alert.objects.filter(pk=alert.pk).update(paused=False, updated_at=timezone.now())
            _arm(alert, alert_conditions(alert))
    return alert_of(user=user, alert_id=alert_id)


def alert_delete(*, user: Any, alert_id: int) -> None:
    alert_of(user=user, alert_id=alert_id).delete()


def notification_mark_read(*, user: Any, notification_id: int) -> Notification:
    notification = notification_of(user=user, notification_id=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now())


def _arm(alert: Alert, conditions: list[Any]) -> None:
    AlertMatch.objects.filter(alert=alert).delete()
    met = offers_meeting(conditions=conditions)
    AlertMatch.objects.bulk_create([AlertMatch(alert=alert, offer_id=o) for o in sorted(met)],
                                   batch_size=1000)
