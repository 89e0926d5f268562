"""After a sync committed: which offers newly meet which active alert; one notification each.

Only the offers the sync changed are looked at (its deltas: added, repriced, removed). An
offer meets an alert when the query engine's evaluator says the stored offer meets the
alert's conditions (``alerts.selectors.offers_meeting``: the index, as queries see it after
the sync); a removed offer meets nothing. Per alert:

- met now, not met before → a crossing: recorded as met, and notified;
- met before, changed and no longer met (or removed) → no longer met: it may fire again;
- met before and still met → nothing (it already fired for this crossing).

All of one sync's changes are written in one transaction, with the active alerts locked (a
pause or delete waits for it); listeners hear of the notifications after it committed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from alerts.conditions import alert_conditions
from alerts.events import notifications_created
from alerts.metrics import ALERTS_FIRED
from alerts.models import Alert, AlertMatch, Notification
from alerts.selectors import alerts_active, offers_meeting
from common.errors import InvalidFilter

log = logging.getLogger(__name__)
CHUNK = 1000


@dataclass
class _Plan:
    crossed: dict[int, list[int]] = field(default_factory=dict)  # alert id → offer ids
    left: list[int] = field(default_factory=list)  # AlertMatch ids to delete


def alerts_evaluate_logged(results: Sequence[Any]) -> list[Notification]:
    """``alerts_evaluate``, for the after-sync hook: a failure is logged, never raised (the
    sync has committed)."""
    try:
        return alerts_evaluate(results)
    except Exception:
        log.exception("evaluating alerts after a sync failed")
        return []


def alerts_evaluate(results: Sequence[Any]) -> list[Notification]:
    """Evaluate active alerts on ``results``' deltas; the notifications stored."""
    deltas = {d.offer_id: d.as_dict() for r in results for d in r.deltas}
    if not deltas or not alerts_active().exists():
        return []
    with transaction.atomic():
        alerts = list(alerts_active().select_for_update())
        plan = _plan(alerts, deltas)
        notifications = _write(alerts, plan, deltas)
    if notifications:
        ALERTS_FIRED.inc(len(notifications))  # committed: one notification per firing
        notifications_created(notifications)
    return notifications


def _plan(alerts: list[Alert], deltas: dict[int, dict[str, Any]]) -> _Plan:
    present = [i for i, d in deltas.items() if d["kind"] != "removed"]
    matched = _matched(alerts, list(deltas))
    plan = _Plan()
    for alert in alerts:
        met = _met(alert, present)
        before = matched.get(alert.pk, {})
        if crossed := sorted(met - before.keys()):
            plan.crossed[alert.pk] = crossed
        plan.left += [pk for offer_id, pk in before.items() if offer_id not in met]
    return plan


def _met(alert: Alert, present: list[int]) -> set[int]:
    try:
        conditions = alert_conditions(alert)
    except InvalidFilter as exc:  # stored before the language changed: skip, say why
        log.warning("alert %s has filters the parser now refuses: %s", alert.pk, exc.detail)
        return set()
    return offers_meeting(conditions=conditions, among=present)


def _matched(alerts: list[Alert], offer_ids: list[int]) -> dict[int, dict[int, int]]:
    """alert id → {offer id: AlertMatch id} for the changed offers each alert had met."""
    found: dict[int, dict[int, int]] = defaultdict(dict)
    alert_ids = [a.pk for a in alerts]
    for chunk in _chunks(offer_ids):
        rows = AlertMatch.objects.filter(alert_id__in=alert_ids, offer_id__in=chunk)
        for pk, alert_id, offer_id in rows.values_list("pk", "alert_id", "offer_id"):
            found[alert_id][offer_id] = pk
    return found


def _write(alerts: list[Alert], plan: _Plan, deltas: dict[int, dict[str, Any]]
           ) -> list[Notification]:
    for chunk in _chunks(plan.left):
        AlertMatch.objects.filter(pk__in=chunk).delete()
    AlertMatch.objects.bulk_create([AlertMatch(alert_id=a, offer_id=o)
                                    for a, offers in plan.crossed.items() for o in offers],
                                   batch_size=CHUNK)
    now = timezone.now()
    fired = [a for a in alerts if a.pk in plan.crossed]
    notifications = [Notification(user_id=a.user_id, alert=a, alert_name=a.name, created_at=now,
                                  offers=[deltas[o] for o in plan.crossed[a.pk]])
                     for a in fired]
    Notification.objects.bulk_create(notifications, batch_size=CHUNK)
    Alert.objects.filter(pk__in=[a.pk for a in fired]).update(
        fired_count=F("fired_count") + 1, last_fired_at=now)
    return _with_ids(notifications, fired, now)


def _with_ids(notifications: list[Notification], fired: list[Alert], now: Any
              ) -> list[Notification]:
    """bulk_create sets ids on PostgreSQL and SQLite; read them back where it did not."""
    if all(n.pk for n in notifications):
        return notifications
    return list(Notification.objects.filter(alert__in=fired, created_at=now).order_by("pk"))


def _chunks(items: Iterable[int]) -> Iterable[list[int]]:
    batch = list(items)
    return (batch[i:i + CHUNK] for i in range(0, len(batch), CHUNK))
