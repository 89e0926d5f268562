"""`insights/market`: cheapest and best value per GPU, price moves, spreads, supply."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Max, Min
from django.utils import timezone

from common.errors import InvalidInput
from kpi.backends import kpi_engine
from kpi.cache import offers_part
from kpi.engines import Engine
from kpi.rows import as_bool as _bool
from kpi.rows import as_offer as _offer
from kpi.rows import as_time
from kpi.trend import EARLIEST, LATEST, _utc
from kpi.value import value_of
from market.models import SyncRun
from mathcore.market_stats import pct_change, spread

MOVES_LIMIT = 20


def kpi_insights_market(*, since: datetime | None = None, limit: int = MOVES_LIMIT,
                        engine: Engine | None = None) -> dict[str, Any]:
    engine = engine or kpi_engine()
    if since is not None and not EARLIEST <= _utc(since) <= LATEST:
        raise InvalidInput(f"since must be between {EARLIEST.year} and {LATEST.year - 1}")
    since = since or previous_sync_at()
    moves = price_moves(engine=engine, since=since) if since else []
    market = offers_part(("insights",), lambda: _market_offers(engine), engine=engine)
    return {
        "engine": engine.name, "since": since,
        "cheapest": market["cheapest"], "cheapest_spot": market["cheapest_spot"],
        "drops": sorted((m for m in moves if m["change"] < 0), key=_by_change)[:limit],
        "rises": sorted((m for m in moves if m["change"] > 0), key=_by_change,
                        reverse=True)[:limit],
        "spread": market["spread"], "best_value": market["best_value"],
        "supply": market["supply"],
    }


def _market_offers(engine: Engine) -> dict[str, Any]:
    """The insights that read the offers listed now only (kept: `kpi.cache`); price moves
    read the observations, which a backfill or retention changes without a sync."""
    return {
        "cheapest": [{"gpu": r["gpu_name"], **_offer(r)}
                     for r in engine.rows("CHEAPEST", spot=False)],
        "cheapest_spot": [{"gpu": r["gpu_name"], **_offer(r)}
                          for r in engine.rows("CHEAPEST", spot=True)],
        "spread": _spreads(engine.rows("MARKET_GPU_PROVIDERS")),
        "best_value": _best_value(engine),
        "supply": [{"gpu": r["gpu_name"], "continent": r["continent"],
                    "offers": int(r["offers"]), "gpus": float(r["gpus"])}
                   for r in engine.rows("SUPPLY")],
    }


def previous_sync_at() -> datetime | None:
    """Start of the latest sync: the earliest of every provider's latest good sync start,
    so the moves cover what the last round of syncs changed."""
    latest = (SyncRun.objects.filter(status="ok").values("provider")
              .annotate(last=Max("started_at")).aggregate(first=Min("last")))
    return latest["first"]


def price_moves(*, engine: Engine, since: datetime,
                until: datetime | None = None) -> list[dict[str, Any]]:
    """Offers whose price changed between before ``since`` and from it on: old and new."""
    rows = engine.rows("MOVES", since=since, until=until or timezone.now())
    pairs: dict[tuple, dict[int, dict[str, Any]]] = {}
    for r in rows:
        key = (r["provider"], r["instance_type"], r["region"], _bool(r["spot"]))
        pairs.setdefault(key, {})[int(r["later"])] = r
    return [_move(p[0], p[1]) for p in pairs.values()
            if 0 in p and 1 in p and p[0]["price_per_hour"] != p[1]["price_per_hour"]]


def _move(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return {"provider": new["provider"], "instance_type": new["instance_type"],
            "region": new["region"], "spot": _bool(new["spot"]), "gpu": new["gpu_name"],
            "gpu_count": float(new["gpu_count"]),
            "old_price_per_hour": float(old["price_per_hour"]),
            "new_price_per_hour": float(new["price_per_hour"]),
            "old_price_per_gpu_hour": float(old["price_per_gpu_hour"]),
            "new_price_per_gpu_hour": float(new["price_per_gpu_hour"]),
            "change": pct_change(float(old["price_per_hour"]), float(new["price_per_hour"])),
            "old_observed_at": as_time(old["observed_at"]),
            "new_observed_at": as_time(new["observed_at"])}


def _by_change(move: dict[str, Any]) -> tuple:
    return (move["change"], move["provider"], move["instance_type"], move["region"])


def _spreads(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    medians: dict[str, dict[str, float]] = {}
    for r in rows:
        if not _bool(r["spot"]):
            medians.setdefault(r["gpu_name"], {})[r["provider"]] = float(r["median"])
    found = []
    for gpu, by_provider in sorted(medians.items()):
        if len(by_provider) < 2:
            continue
        low = min(by_provider, key=lambda p: (by_provider[p], p))
        high = max(by_provider, key=lambda p: (by_provider[p], p))
        found.append({"gpu": gpu, "providers": len(by_provider),
                      "cheapest_provider": low, "cheapest_median": by_provider[low],
                      "dearest_provider": high, "dearest_median": by_provider[high],
                      "spread": spread(by_provider.values())})
    return found


def _best_value(engine: Engine) -> list[dict[str, Any]]:
    rows = [r for r in engine.rows("MARKET_GPUS") if not _bool(r["spot"])]
    found = [{"gpu": r["gpu_name"], "offers": int(r["offers"]),
              "median_price_per_gpu_hour": float(r["median"]),
              "min_price_per_gpu_hour": float(r["min"]),
              **value_of(r["gpu_name"], float(r["median"]))} for r in rows]
    return sorted(found, key=lambda v: (v["usd_per_tflop_hour"] is None,
                                        v["usd_per_tflop_hour"] or 0.0, v["gpu"]))
