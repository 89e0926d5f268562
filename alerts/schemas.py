"""Alert and notification shapes of ``/api/v2/alerts``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from common.schemas import StrictIn
from market.schemas import Filters, SearchName

Price = Annotated[float, Field(gt=0, le=1_000_000, allow_inf_nan=False)]


class AlertIn(StrictIn):
    """``filters`` are those of ``GET /api/v2/providers/`` (``q`` included); at least one
    price limit, in USD per hour."""

    name: SearchName
    filters: Filters = {}
    max_price_per_gpu_hour: Price | None = None
    max_price_per_hour: Price | None = None


class AlertOut(Schema):
    id: int
    name: str
    filters: dict[str, Any]
    max_price_per_gpu_hour: float | None
    max_price_per_hour: float | None
    status: Literal["active", "paused"]
    offers_meeting: int = Field(description="offers that meet the alert now (they fired, or "
                                            "met it when it was armed)")
    fired_count: int
    last_fired_at: datetime | None
    created_at: datetime
    updated_at: datetime


class NotificationOut(Schema):
    id: int
    alert_id: int | None = Field(description="null once the alert was deleted")
    alert_name: str
    offers: list[dict[str, Any]] = Field(description="the offers that newly met the alert, "
                                                     "as the sync's price deltas")
    created_at: datetime
    read_at: datetime | None


class NotificationsQuery(Schema):
    unread: bool = False
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


class MarkedOut(Schema):
    marked: int
