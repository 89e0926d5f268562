"""Offers, providers, sync runs, price observations and saved searches.

An offer is one (provider, instance type, region, spot) the market sells, in one shape for
every provider. A field a source does not give stays NULL: never guessed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Provider(models.Model):
    """A source of offers: one cloud of a public catalog, or one live API."""

    name = models.CharField(max_length=64, primary_key=True)
    kind = models.CharField(max_length=16)  # "catalog" | "api"
    enabled = models.BooleanField(default=True)
    source = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, default="never")  # never|ok|failed|disabled|no_key
    error = models.TextField(blank=True)
    notes = models.JSONField(default=list)
    last_sync_at = models.DateTimeField(null=True)
    last_success_at = models.DateTimeField(null=True)
    # Circuit breaker (market.services.breaker): closed | open | half_open.
    breaker_state = models.CharField(max_length=16, default="closed")
    breaker_failures = models.IntegerField(default=0)  # failed syncs in a row
    breaker_opened_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return self.name


class Offer(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="offers")
    instance_type = models.CharField(max_length=200)
    region = models.CharField(max_length=200)
    spot = models.BooleanField()
    zones = models.JSONField(default=list)
    country = models.CharField(max_length=2, null=True)
    continent = models.CharField(max_length=2, null=True)
    gpu_name = models.CharField(max_length=64, null=True)
    gpu_raw_name = models.CharField(max_length=200)
    gpu_vendor = models.CharField(max_length=32, null=True)
    gpu_kind = models.CharField(max_length=16, null=True)  # gpu|tpu|asic|fpga
    gpu_count = models.FloatField()
    gpu_fraction = models.FloatField(default=1.0)  # share of one GPU: 1 whole, 0.5 half
    gpu_memory_gb = models.FloatField(null=True)
    vcpus = models.FloatField(null=True)
    memory_gb = models.FloatField(null=True)
    disk_gb = models.FloatField(null=True)
    price_per_hour = models.FloatField()
    price_per_gpu_hour = models.FloatField()
    available_count = models.FloatField(null=True)  # instances startable now, if said
    source = models.CharField(max_length=500)
    fetched_at = models.DateTimeField()
    stale = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "instance_type", "region", "spot"], name="offer_identity"
            )
        ]
        indexes = [
            models.Index(fields=["gpu_name"]),
            models.Index(fields=["price_per_hour"]),
        ]


class SyncRun(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="sync_runs")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True)
    status = models.CharField(max_length=16, default="running")  # running|ok|failed
    seen = models.IntegerField(default=0)
    added = models.IntegerField(default=0)
    changed = models.IntegerField(default=0)
    removed = models.IntegerField(default=0)
    unknown_gpus = models.JSONField(default=dict)  # raw name -> rows
    skipped = models.JSONField(default=dict)  # reason -> rows
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["provider", "-started_at"])]


class PriceObservation(models.Model):
    """One observed price of one offer identity; appended on every new or changed price.

    Denormalized on purpose: history outlives the offer row it was observed on.
    """

    provider = models.CharField(max_length=64)
    instance_type = models.CharField(max_length=200)
    region = models.CharField(max_length=200)
    spot = models.BooleanField()
    gpu_name = models.CharField(max_length=64, null=True)
    gpu_count = models.FloatField()
    price_per_hour = models.FloatField()
    price_per_gpu_hour = models.FloatField()
    observed_at = models.DateTimeField()
    source = models.CharField(max_length=500)

    class Meta:
        indexes = [
            models.Index(fields=["provider", "instance_type", "region", "spot", "observed_at"]),
            models.Index(fields=["gpu_name", "observed_at"]),
        ]


class SavedSearch(models.Model):
    """A user's named filter set or ``q=`` string, to rerun from the API, CLI or dashboard."""

    PLAN_RESOURCE = "saved_searches"  # counted against the user's plan (accounts.plans)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="saved_searches")
    name = models.CharField(max_length=100)
    q = models.CharField(max_length=2000, blank=True)
    filters = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_unique_name")
        ]
