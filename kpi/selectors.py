"""KPI reads: overview, one GPU, one provider. SQL in `kpi.queries`, formulas in mathcore.

Every figure comes from the offers listed now or the price observations of the engine
(`kpi.engines`); providers' sync state comes from the primary database. Prices are USD
per GPU-hour; on-demand and spot are always apart.
"""

from __future__ import annotations

import difflib
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from common.errors import NotFound
from kpi.backends import kpi_engine
from kpi.cache import offers_part
from kpi.engines import Engine
from kpi.rows import as_bool as _bool
from kpi.rows import as_offer as _offer
from kpi.trend import gpu_trend
from kpi.value import value_of
from market.models import Provider, SyncRun
from market.normalize.gpu_names import canonical_gpu_names, gpu_family_members
from mathcore.market_stats import price_index, spot_discount, volatility

POPULAR_GPUS = 10
STATS = ("offers", "min", "p25", "median", "p75", "max")
GPU_OFFER_QUERIES = ("GPU_PRICES", "GPU_PROVIDER_PRICES", "GPU_REGIONS", "GPU_MODELS")
PROVIDER_STATE = ("name", "enabled", "status", "last_sync_at", "last_success_at")


def gpu_members(gpu: str) -> list[str]:
    """Canonical names ``gpu`` means, as the offers API reads it; 404 naming close ones."""
    members = gpu_family_members(gpu)
    if members:
        return members
    close = difflib.get_close_matches(gpu.upper(), canonical_gpu_names(), n=5, cutoff=0.5)
    hint = f"; close matches: {', '.join(close)}" if close else ""
    raise NotFound(f"unknown GPU {gpu!r}{hint}", close_matches=close)


def kpi_overview(*, engine: Engine | None = None) -> dict[str, Any]:
    engine = engine or kpi_engine()
    market = offers_part(("overview",), lambda: _overview_offers(engine), engine=engine)
    providers = list(Provider.objects.order_by("name").only(*PROVIDER_STATE))
    synced = [p.last_sync_at for p in providers if p.last_sync_at is not None]
    return {
        "engine": engine.name, "providers": providers_health(providers=providers),
        "offers": market["offers"], "gpus": market["gpus"],
        "last_sync": max(synced, default=None), "popular_gpus": market["popular_gpus"],
    }


def _overview_offers(engine: Engine) -> dict[str, Any]:
    """The overview's figures that read the offers listed now only (kept: `kpi.cache`)."""
    totals = engine.rows("TOTALS")[0]
    by_gpu = _medians(engine.rows("MARKET_GPUS"), spot=False)
    cheapest = {r["gpu_name"]: _offer(r) for r in engine.rows("CHEAPEST", spot=False)}
    popular = sorted(by_gpu.items(), key=lambda item: (-item[1]["offers"], item[0]))
    return {"offers": int(totals["offers"]), "gpus": int(totals["gpus"]),
            "popular_gpus": [{"gpu": gpu, "offers": row["offers"],
                              "median_price_per_gpu_hour": row["median"],
                              "cheapest": cheapest.get(gpu)}
                             for gpu, row in popular[:POPULAR_GPUS]]}


def providers_health(*, providers: list[Provider] | None = None) -> dict[str, Any]:
    """Providers that synced fine, failed, or went stale (no success in 2 sync intervals);
    ``providers``: the provider rows, read now when not given. Never kept: it moves with the
    clock and with provider rows no sync run versions."""
    stale_after = timedelta(seconds=max(settings.GPUBROKER_SYNC_INTERVAL_S, 3600) * 2)
    now = timezone.now()
    if providers is None:
        providers = list(Provider.objects.order_by("name").only(*PROVIDER_STATE))
    states: dict[str, list[str]] = {"ok": [], "failing": [], "stale": [], "never": []}
    for p in providers:
        if p.enabled:
            states[_state(p, now, stale_after)].append(p.name)
    return {**{k: len(v) for k, v in states.items()}, "names": states}


def _state(p: Provider, now: datetime, stale_after: timedelta) -> str:
    if p.last_sync_at is None:
        return "never"
    if p.status not in ("ok", "never"):
        return "failing"
    if p.last_success_at is None or now - p.last_success_at > stale_after:
        return "stale"
    return "ok"


def kpi_gpu(*, gpu: str, engine: Engine | None = None) -> dict[str, Any]:
    engine = engine or kpi_engine()
    members = gpu_members(gpu)
    prices = offers_part(("gpu", *members), lambda: _gpu_offers(engine, members), engine=engine)
    return {"gpu": gpu, "engine": engine.name, "gpus": members, **prices,
            "trend": gpu_trend(engine=engine, gpus=members)}


def _gpu_offers(engine: Engine, members: list[str]) -> dict[str, Any]:
    """A GPU's figures that read the offers listed now only (kept: `kpi.cache`)."""
    found = engine.rows_each(GPU_OFFER_QUERIES, gpus=members)  # one query on ClickHouse
    overall = {_bool(r["spot"]): _stats(r) for r in found["GPU_PRICES"]}
    on_demand, spot = overall.get(False), overall.get(True)
    regions = found["GPU_REGIONS"]
    return {
        "offers": sum(s["offers"] for s in overall.values()),
        "regions": len(regions), "on_demand": on_demand, "spot": spot,
        "spot_discount": _discount(on_demand, spot),
        "value": value_of(members[0], on_demand["median"] if on_demand else None),
        "cheapest_value": value_of(members[0], on_demand["min"] if on_demand else None),
        "models": _models(found["GPU_MODELS"]),
        "providers": _gpu_providers(found["GPU_PROVIDER_PRICES"], regions),
    }


def _models(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    medians = _medians(rows, spot=False)
    return [{"gpu": gpu, "offers": m["offers"], "median_price_per_gpu_hour": m["median"],
             "min_price_per_gpu_hour": m["min"], "value": value_of(gpu, m["median"])}
            for gpu, m in sorted(medians.items())]


def _gpu_providers(rows: list[dict[str, Any]],
                   regions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = found.setdefault(row["provider"], {"provider": row["provider"], "offers": 0,
                                                   "on_demand": None, "spot": None})
        entry["spot" if _bool(row["spot"]) else "on_demand"] = _stats(row)
        entry["offers"] += int(row["offers"])
    for entry in found.values():
        entry["spot_discount"] = _discount(entry["on_demand"], entry["spot"])
        entry["regions"] = sorted({r["region"] for r in regions
                                   if r["provider"] == entry["provider"]})
    return sorted(found.values(), key=lambda e: (_cheapest(e), e["provider"]))


def kpi_provider(*, name: str, engine: Engine | None = None) -> dict[str, Any]:
    provider = Provider.objects.filter(name=name).first()
    if provider is None:
        known = list(Provider.objects.order_by("name").values_list("name", flat=True))
        close = difflib.get_close_matches(name, known, n=5, cutoff=0.5)
        raise NotFound(f"unknown provider {name!r}" + (
            f"; close matches: {', '.join(close)}" if close else ""), close_matches=close)
    engine = engine or kpi_engine()
    prices = offers_part(("provider", name), lambda: _provider_offers(engine, name),
                         engine=engine)
    return {"provider": name, "engine": engine.name, "kind": provider.kind, **prices,
            "volatility_30d": _provider_volatility(engine, name),
            "sync": sync_reliability(provider)}


def _provider_offers(engine: Engine, name: str) -> dict[str, Any]:
    """A provider's figures that read the offers listed now only (kept: `kpi.cache`)."""
    own = engine.rows("PROVIDER_GPUS", provider=name)
    market = _medians(engine.rows("MARKET_GPUS"), spot=False)
    return {
        "offers": sum(int(r["offers"]) for r in own),
        "gpus": sorted({r["gpu_name"] for r in own}),
        "price_index": _index(own, market),
        "gpu_prices": [{"gpu": r["gpu_name"], "spot": _bool(r["spot"]),
                        "offers": int(r["offers"]), "min": r["min"], "median": r["median"],
                        "market_median": market.get(r["gpu_name"], {}).get("median")
                        if not _bool(r["spot"]) else None} for r in own],
    }


def _index(own: list[dict[str, Any]], market: dict[str, dict[str, Any]]) -> float | None:
    mine = {r["gpu_name"]: (r["median"], int(r["offers"])) for r in own if not _bool(r["spot"])}
    return price_index(mine, {g: m["median"] for g, m in market.items()})


def _provider_volatility(engine: Engine, name: str) -> float | None:
    """The median over the provider's GPUs of the volatility of each GPU's daily on-demand
    median in the last 30 days (None when no GPU has three such days)."""
    now = timezone.now()
    series: dict[str, list[float]] = {}
    for row in engine.rows("PROVIDER_DAILY", interval="day", provider=name, spot=False,
                           since=now - timedelta(days=30), until=now):
        series.setdefault(row["gpu_name"], []).append(float(row["median"]))
    found = sorted(v for s in series.values() if (v := volatility(s)) is not None)
    return found[len(found) // 2] if found else None


def sync_reliability(provider: Provider) -> dict[str, Any]:
    runs = SyncRun.objects.filter(provider=provider)
    total = runs.count()
    ok = runs.filter(status="ok").count()
    last_error = runs.exclude(error="").order_by("-started_at").values("error",
                                                                        "started_at").first()
    freshness = ((timezone.now() - provider.last_success_at).total_seconds()
                 if provider.last_success_at else None)
    return {"syncs": total, "ok": ok, "success_share": ok / total if total else None,
            "status": provider.status, "last_error": last_error["error"] if last_error else None,
            "last_error_at": last_error["started_at"] if last_error else None,
            "last_success": provider.last_success_at, "freshness_s": freshness}


def _medians(rows: list[dict[str, Any]], *, spot: bool) -> dict[str, dict[str, Any]]:
    return {r["gpu_name"]: {"offers": int(r["offers"]), "median": r["median"], "min": r["min"]}
            for r in rows if _bool(r["spot"]) == spot}


def _stats(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (int(row[k]) if k == "offers" else float(row[k])) for k in STATS}


def _discount(on_demand: dict | None, spot: dict | None) -> float | None:
    return spot_discount(on_demand["median"] if on_demand else None,
                         spot["median"] if spot else None)


def _cheapest(entry: dict[str, Any]) -> float:
    prices = [entry[k]["min"] for k in ("on_demand", "spot") if entry[k]]
    return min(prices) if prices else float("inf")
