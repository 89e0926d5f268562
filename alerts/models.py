"""Alerts, the offers that currently meet each (its crossed state), and notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Alert(models.Model):
    """Filters of ``GET /api/v2/providers/`` (``q`` included) and at least one price limit."""

    PLAN_RESOURCE = "alerts"  # counted against the user's plan (accounts.plans)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="alerts")
    name = models.CharField(max_length=100)
    filters = models.JSONField(default=dict)
    max_price_per_gpu_hour = models.FloatField(null=True)
    max_price_per_hour = models.FloatField(null=True)
    paused = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    last_fired_at = models.DateTimeField(null=True)
    fired_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "name"]), models.Index(fields=["paused"])]


class AlertMatch(models.Model):
    """An offer that meets ``alert`` now: it fired (or met it when the alert was armed) and
    has not stopped meeting it since. Offers of one provider are only written by that
    provider's sync, so concurrent syncs of different providers never touch the same rows."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="matches")
    offer_id = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "offer_id"],
                                               name="alert_match_once")]


class Notification(models.Model):
    """One firing of an alert: the offers that newly met it, as the sync's deltas."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications")
    alert = models.ForeignKey(Alert, on_delete=models.SET_NULL, null=True,
                              related_name="notifications")
    alert_name = models.CharField(max_length=100)
    offers = models.JSONField(default=list)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"]),
                   models.Index(fields=["user", "read_at"])]
