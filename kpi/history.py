"""History tools: load a past catalog as of a time; retention and daily downsampling.

`observations_backfill` records every offer of a catalog version as observed at ``at``
(history only: the offers listed now are untouched), once: a (provider, time, source)
already loaded is skipped. `observations_retain` keeps raw observations for ``raw_days``
and rolls older ones into one row per day, GPU, provider and spot (min / median / max),
on the primary database and, when ``CLICKHOUSE_URL`` is set, on ClickHouse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction

from common.errors import InvalidInput
from kpi.clickhouse import (
    DAILY,
    DAILY_COLUMNS,
    OBSERVATIONS,
    ROLLUPS,
    ClickHouseEngine,
    ch_time,
)
from kpi.engines import Engine, SqlEngine
from kpi.models import DailyPrice
from kpi.rows import as_bool, as_time
from kpi.services import clickhouse_stream
from market.adapters.catalog import CatalogAdapter
from market.models import PriceObservation
from market.normalize.offers import offers_normalized


@dataclass(frozen=True)
class Daily:
    observations: int
    min_price: float
    median_price: float
    max_price: float


def observations_backfill(*, at: datetime, catalog: Path) -> dict[str, int]:
    """Record the catalog at ``catalog`` as observed at ``at``; observations per provider.

    ``catalog``: a folder of ``<cloud>/vms.csv`` (the layout `sync` reads), or one CSV file
    whose folder names its cloud (``history/vast/0e7ecd677444.csv``).
    """
    if at.tzinfo is None:
        raise InvalidInput("--at needs a time zone (e.g. 2026-11-20T00:00:00Z)")
    loaded = {adapter.name: _backfill_one(adapter, at) for adapter in _adapters(catalog)}
    if settings.CLICKHOUSE_URL:
        clickhouse_stream(url=settings.CLICKHOUSE_URL)
    return loaded


def _adapters(catalog: Path) -> list[CatalogAdapter]:
    if catalog.is_file():
        return [CatalogAdapter(catalog.parent.name, str(catalog))]
    found = [CatalogAdapter(p.parent.name, str(p)) for p in sorted(catalog.glob("*/vms.csv"))]
    if not found:
        raise InvalidInput(f"no <cloud>/vms.csv under {catalog}, and it is not a CSV file")
    return found


def _backfill_one(adapter: CatalogAdapter, at: datetime) -> int:
    source = f"backfill {adapter.source}"
    if PriceObservation.objects.filter(provider=adapter.name, observed_at=at,
                                       source=source).exists():
        return 0
    with httpx.Client() as client:
        fetched = adapter.fetch(client)
    batch = offers_normalized(provider=adapter.name, raw_offers=fetched.offers)
    rows = [PriceObservation(
        provider=adapter.name, instance_type=v.instance_type, region=v.region,
        spot=v.spot, gpu_name=v.gpu_name, gpu_count=v.gpu_count,
        price_per_hour=v.price_per_hour, price_per_gpu_hour=v.price_per_gpu_hour,
        observed_at=at, source=source) for v in batch.offers.values()]
    PriceObservation.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def retention_cutoff(raw_days: int, now: datetime) -> datetime:
    """Midnight (UTC) ``raw_days`` days before ``now``: raw rows before it are rolled up."""
    if raw_days < 1:
        raise InvalidInput("raw_days must be at least 1")
    day = (now.astimezone(UTC) - timedelta(days=raw_days)).date()
    return datetime.combine(day, time(), tzinfo=UTC)


def observations_retain(*, raw_days: int, now: datetime) -> dict[str, Any]:
    """Roll raw observations older than ``raw_days`` into daily rows, then delete them."""
    cutoff = retention_cutoff(raw_days, now)
    with transaction.atomic():
        rolled = _rollup(SqlEngine(), cutoff)
        _daily_save_primary(rolled)
        deleted, _ = PriceObservation.objects.filter(observed_at__lt=cutoff).delete()
    done: dict[str, Any] = {"cutoff": cutoff, "days_rolled": len(rolled), "deleted": deleted}
    if settings.CLICKHOUSE_URL:
        done["clickhouse_days_rolled"] = _retain_clickhouse(settings.CLICKHOUSE_URL, cutoff)
    return done


def _rollup(engine: Engine, cutoff: datetime) -> dict[tuple, Daily]:
    return {(as_time(r["day"]).date(), r["gpu_name"], r["provider"], as_bool(r["spot"])): Daily(
        int(r["observations"]), float(r["min"]), float(r["median"]), float(r["max"]))
        for r in engine.rows("DAILY_ROLLUP", before=cutoff)}


def daily_merge(a: Daily, b: Daily) -> Daily:
    """Two rollups of one day: counts add, min and max combine; the median is that of the
    larger part (the exact median of both is gone with their raw rows)."""
    median = a.median_price if a.observations >= b.observations else b.median_price
    return Daily(a.observations + b.observations, min(a.min_price, b.min_price), median,
                 max(a.max_price, b.max_price))


def _daily_save_primary(rolled: dict[tuple, Daily]) -> None:
    days = {key[0] for key in rolled}
    existing = {(d.day, d.gpu_name, d.provider, d.spot): d
                for d in DailyPrice.objects.filter(day__in=days)}
    for key, value in rolled.items():
        if key in existing:
            old = existing[key]
            value = daily_merge(Daily(old.observations, old.min_price, old.median_price,
                                      old.max_price), value)
        DailyPrice.objects.update_or_create(
            day=key[0], gpu_name=key[1], provider=key[2], spot=key[3],
            defaults=value.__dict__)


def _retain_clickhouse(url: str, cutoff: datetime) -> int:
    engine = ClickHouseEngine(url)
    rolled = _rollup(engine, cutoff)
    existing = {(date.fromisoformat(str(r["day"])), r["gpu_name"], r["provider"],
                 r["spot"] in (True, 1)): Daily(int(r["observations"]), r["min_price"],
                                                 r["median_price"], r["max_price"])
                for r in engine.client.query(f"SELECT * FROM {DAILY} FINAL", {})}
    rows = [(*key, *(daily_merge(existing[key], v) if key in existing else v).__dict__.values())
            for key, v in rolled.items()]
    engine.client.insert(DAILY, DAILY_COLUMNS, rows)
    engine.client.command(f"DELETE FROM {OBSERVATIONS} WHERE observed_at < "
                          f"'{ch_time(cutoff)}'")
    for rollup in ROLLUPS:  # days before a midnight: exactly the rows deleted
        engine.client.command(f"DELETE FROM {rollup} WHERE at < "
                              f"toDateTime64('{ch_time(cutoff)}', 6, 'UTC')")
    return len(rows)
