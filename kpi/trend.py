"""Price history: time series for charts, and the 7- and 30-day change and volatility.

A point of the series is the min / median / max of the prices per GPU-hour observed in its
interval: every sync records the prices of new and changed offers, a backfill every offer
of the catalog it loads. Change and volatility read the daily on-demand medians.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone

from common.errors import InvalidInput
from kpi.backends import kpi_engine
from kpi.engines import Engine
from kpi.rows import as_time
from mathcore.market_stats import pct_change, volatility

INTERVALS = {"hour": timedelta(days=7), "day": timedelta(days=90), "week": timedelta(days=365)}
MAX_POINTS = 5000
_TINY = timedelta(microseconds=1)
EARLIEST = datetime(1971, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
TREND_DAYS = (7, 30)


def kpi_history(*, gpus: list[str], provider: str | None = None, spot: bool | None = None,
                interval: str = "day", since: datetime | None = None,
                until: datetime | None = None, engine: Engine | None = None) -> dict[str, Any]:
    """Series of min / median / max price per GPU-hour, one point per ``interval``."""
    if interval not in INTERVALS:
        raise InvalidInput(f"interval must be one of {', '.join(INTERVALS)}, got {interval!r}")
    until = _utc(until) if until else timezone.now()
    _in_range(until, "until")
    since = _utc(since) if since else until - INTERVALS[interval]
    _in_range(since, "since")
    if since >= until:
        raise InvalidInput("since must be before until")
    if (until - since) / _step(interval) > MAX_POINTS:
        raise InvalidInput(f"at most {MAX_POINTS} points: widen interval or narrow the range")
    engine = engine or kpi_engine()
    filters = _filters(gpus, provider, spot, since, until)
    raw = engine.rows("HISTORY", interval=interval, **filters)
    daily = engine.rows("HISTORY_DAILY", interval="day" if interval == "hour" else interval,
                        since_day=since.date(), until_day=(until - _TINY).date()
                        + timedelta(days=1), **filters)
    return {"engine": engine.name, "gpus": gpus, "provider": provider, "spot": spot,
            "interval": interval, "since": since, "until": until,
            "points": _merged([_point(r) for r in daily], [_point(r) for r in raw])}


def _merged(daily: list[dict[str, Any]], raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Points of the rollup and of raw rows; a bucket in both keeps the larger part's median."""
    found: dict[datetime, dict[str, Any]] = {p["time"]: p for p in daily}
    for point in raw:
        other = found.get(point["time"])
        if other is not None:
            bigger = point if point["observations"] >= other["observations"] else other
            point = {**bigger, "observations": point["observations"] + other["observations"],
                     "min": min(point["min"], other["min"]),
                     "max": max(point["max"], other["max"])}
        found[point["time"]] = point
    return [found[t] for t in sorted(found)]


def daily_medians(*, engine: Engine, gpus: list[str], days: int,
                  provider: str | None = None, now: datetime | None = None) -> list[float]:
    """On-demand median price per GPU-hour of each day with observations, oldest first."""
    until = now or timezone.now()
    rows = engine.rows("HISTORY", interval="day", **_filters(
        gpus, provider, False, until - timedelta(days=days), until))
    return [float(r["median"]) for r in rows]


def gpu_trend(*, engine: Engine, gpus: list[str]) -> dict[str, Any]:
    """change_7d, change_30d, volatility_7d, volatility_30d; each None with a reason.

    One query: the daily medians of the last 30 days; the 7-day figures use the days
    from the one 7 days ago on."""
    now = timezone.now()
    rows = engine.rows("HISTORY", interval="day", **_filters(
        gpus, None, False, now - timedelta(days=max(TREND_DAYS)), now))
    days_series = [(_point(r)["time"], float(r["median"])) for r in rows]
    trend: dict[str, Any] = {"reasons": {}}
    for days in TREND_DAYS:
        first_day = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0,
                                                         microsecond=0)
        series = [median for day, median in days_series if day >= first_day]
        change = pct_change(series[0], series[-1]) if len(series) >= 2 else None
        trend[f"change_{days}d"] = change
        trend[f"volatility_{days}d"] = volatility(series)
        trend[f"days_{days}d"] = len(series)
        if change is None:
            trend["reasons"][f"change_{days}d"] = _why(len(series), 2, days)
        if trend[f"volatility_{days}d"] is None:
            trend["reasons"][f"volatility_{days}d"] = _why(len(series), 3, days)
    return trend


def _in_range(moment: datetime, name: str) -> None:
    if not EARLIEST <= moment <= LATEST:
        raise InvalidInput(f"{name} must be between {EARLIEST.year} and {LATEST.year - 1}")


def _why(found: int, needed: int, days: int) -> str:
    return (f"needs on-demand prices observed on at least {needed} days of the last {days}; "
            f"found {found}")


def _filters(gpus: list[str], provider: str | None, spot: bool | None, since: datetime,
             until: datetime) -> dict[str, Any]:
    return {"gpus": gpus, "since": since, "until": until,
            "any_provider": provider is None, "provider": provider or "",
            "any_spot": spot is None, "spot": bool(spot)}


def _point(row: dict[str, Any]) -> dict[str, Any]:
    return {"time": as_time(row["bucket"]), "observations": int(row["observations"]),
            "min": float(row["min"]), "median": float(row["median"]), "max": float(row["max"])}


def _step(interval: str) -> timedelta:
    return {"hour": timedelta(hours=1), "day": timedelta(days=1),
            "week": timedelta(weeks=1)}[interval]


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
