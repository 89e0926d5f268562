"""Read-side functions over the market tables and the offer index."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db.models import Count, Max, QuerySet

from common.errors import NotFound
from market.breaker import breaker_status
from market.models import Offer, PriceObservation, Provider, SavedSearch, SyncRun
from market.query.filters import filter_compile
from market.query.index import offer_index
from market.query.merge import provider_cloud
from market.query.search import OfferPage, offers_search
from market.query.search import offers_matching as _offers_matching
from market.snapshot import SNAPSHOT_LABEL, snapshot_warning

NOT_SYNCED = ("never", "disabled", "no_key")


def last_success_at() -> datetime | None:
    return Provider.objects.aggregate(m=Max("last_success_at"))["m"]


def store_health() -> list[str]:
    """Why the offers served are not to be trusted fully; [] when all is well."""
    if not Offer.objects.exists():
        return ["the offer store is empty: run `gpubroker sync` (or wait for serve's first sync)"]
    reasons = []
    synced = Provider.objects.filter(enabled=True).exclude(status__in=NOT_SYNCED)
    if synced.exists() and not synced.filter(status="ok").exists():
        reasons.append("every provider's last sync failed: offers are the last good ones, "
                       "marked stale")
    if Offer.objects.filter(source__startswith=SNAPSHOT_LABEL).exists():
        reasons.append(snapshot_warning())
    return reasons


def offers_page(*, params: Mapping[str, Any], sort: str, page: int, per_page: int) -> OfferPage:
    return offers_search(offer_filter=filter_compile(params), sort=sort, page=page,
                         per_page=per_page)


def offers_saved_search(*, user: Any, search_id: int | None = None, name: str | None = None,
                        sort: str = "price_per_hour", page: int = 1,
                        per_page: int = 50) -> tuple[SavedSearch, OfferPage]:
    """Rerun one of ``user``'s saved searches (by id or name) on the current offers."""
    search = (saved_search_of(user=user, search_id=search_id) if search_id is not None
              else saved_search_named(user=user, name=name or ""))
    params = {**search.filters, "q": search.q}
    return search, offers_page(params=params, sort=sort, page=page, per_page=per_page)


def saved_searches_of(*, user: Any) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).order_by("name")


def saved_search_of(*, user: Any, search_id: int) -> SavedSearch:
    """The user's saved search ``search_id``; NotFound for anyone else's."""
    search = SavedSearch.objects.filter(user=user, pk=search_id).first()
    if search is None:
        raise NotFound("No such saved search")
    return search


def saved_search_named(*, user: Any, name: str) -> SavedSearch:
    """One of ``user``'s saved searches by its name; NotFound otherwise."""
    search = SavedSearch.objects.filter(user=user, name=name.strip()).first()
    if search is None:
        raise NotFound(f"you have no saved search named '{name}'")
    return search


def offers_matching(filters: Mapping[str, Any], *,
                    sort: str = "price_per_hour") -> list[Mapping[str, Any]]:
    """Every offer meeting ``filters`` (the names of ``GET /providers/``, ``q`` included)."""
    return _offers_matching(offer_filter=filter_compile(filters), sort=sort)


def offer_get(*, offer_id: int) -> Mapping[str, Any]:
    index = offer_index()
    position = int(index.ids.searchsorted(offer_id))
    if position < len(index) and index.ids[position] == offer_id:
        return index.rows[position]
    raise NotFound(f"no offer with id {offer_id}")


def offer_history(*, offer_id: int) -> dict[str, Any]:
    """Every price observed for one offer's identity (provider, type, region, spot), oldest
    first; observations outlive the offer row, so a relisted offer keeps its past."""
    offer = offer_get(offer_id=offer_id)
    rows = PriceObservation.objects.filter(
        provider=offer["provider"], instance_type=offer["instance_type"],
        region=offer["region"], spot=offer["spot"]).order_by("observed_at", "id")
    observations = list(rows.values("observed_at", "price_per_hour", "price_per_gpu_hour",
                                    "source"))
    identity = {k: offer[k] for k in ("provider", "instance_type", "region", "spot", "gpu_name")}
    return {"offer_id": offer_id, **identity, "observations": observations}


def providers_status() -> list[dict[str, Any]]:
    """Every provider known, with its offers and why it has none."""
    counts = dict(Provider.objects.annotate(n=Count("offers")).values_list("name", "n"))
    last_runs = _last_runs()
    return [_status(p, counts.get(p.name, 0), last_runs.get(p.name)) for p in
            Provider.objects.order_by("name")]


def providers_config() -> dict[str, Any]:
    """Every source, plus how many distinct clouds and live API sources they make."""
    providers = providers_status()
    return {"clouds": len({p["cloud"] for p in providers}),
            "live_sources": sum(p["kind"] == "api" for p in providers),
            "providers": providers}


def _last_runs() -> dict[str, SyncRun]:
    latest = SyncRun.objects.values("provider").annotate(last=Max("id")).values_list("last",
                                                                                    flat=True)
    return {r.provider_id: r for r in SyncRun.objects.filter(id__in=list(latest))}


def _status(p: Provider, offers: int, run: SyncRun | None) -> dict[str, Any]:
    return {
        "name": p.name, "cloud": provider_cloud(p.name), "kind": p.kind, "enabled": p.enabled,
        "source": p.source,
        "offers": offers, "last_sync": p.last_sync_at, "last_success": p.last_success_at,
        "status": p.status, "error": p.error or _why_empty(p, offers, run), "notes": p.notes,
        "unknown_gpus": run.unknown_gpus if run else {},
        "skipped": run.skipped if run else {},
        "breaker": breaker_status(p),
    }


def _why_empty(p: Provider, offers: int, run: SyncRun | None) -> str | None:
    if offers:
        return None
    if not p.enabled:
        return "disabled by GPUBROKER_DISABLED_PROVIDERS"
    if run is None:
        return "not synced yet"
    return "the source lists no priced accelerator offers"
