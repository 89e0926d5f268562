"""Read-side functions over the market tables."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from market.models import Provider


def last_success_at() -> datetime | None:
    return Provider.objects.aggregate(m=Max("last_success_at"))["m"]
