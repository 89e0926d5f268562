"""What retention leaves of old price observations: one row per day, GPU, provider, spot."""

from __future__ import annotations

from django.db import models


class DailyPrice(models.Model):
    """Daily min / median / max price per GPU-hour of the raw observations it replaced."""

    day = models.DateField()
    gpu_name = models.CharField(max_length=64)
    provider = models.CharField(max_length=64)
    spot = models.BooleanField()
    observations = models.IntegerField()
    min_price = models.FloatField()
    median_price = models.FloatField()
    max_price = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "gpu_name", "provider", "spot"],
                                               name="daily_price_identity")]
        indexes = [models.Index(fields=["gpu_name", "day"])]
