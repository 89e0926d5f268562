"""What the compare page ranks: chosen offers (``?id=…``) or the cheapest offers of a filter,
each with its criteria values. The page's script ranks them with ``POST /api/v2/math/topsis``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from common.errors import InvalidFilter, NotFound
from market import selectors
from mathcore.errors import MathInputError
from mathcore.gpus import gpu_spec
from web.query import OfferQuery, offer_query_parse

MAX_IDS = 100
DEFAULT_LIMIT = 25
DEFAULT_FILTERS = {"min_gpu_memory_gb": 24, "spot": False}

# key, label, type, unit, default weight (0..10)
CRITERIA: tuple[tuple[str, str, str, str, int], ...] = (
    ("price_per_gpu_hour", "Price per GPU-hour", "cost", "$", 8),
    ("price_per_hour", "Price per hour", "cost", "$", 3),
    ("total_gpu_memory_gb", "Total VRAM", "benefit", "GB", 6),
    ("bf16_tflops", "BF16 TFLOPS", "benefit", "TFLOPS", 5),
    ("mem_bw_gbs", "Memory bandwidth", "benefit", "GB/s", 3),
    ("vcpus", "vCPUs", "benefit", "", 1),
    ("memory_gb", "RAM", "benefit", "GB", 1),
)


@dataclass
class CompareView:
    mode: str  # "ids" or "filter"
    query: OfferQuery | None = None
    limit: int = DEFAULT_LIMIT
    offers: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""
    criteria: list[dict[str, Any]] = field(default_factory=list)

    @property
    def payload(self) -> dict[str, Any]:
        return {"offers": self.offers, "criteria": self.criteria}


def compare_view(*, query: QueryDict) -> CompareView:
    criteria = [{"key": k, "label": label, "type": t, "unit": u, "weight": w}
                for k, label, t, u, w in CRITERIA]
    ids = [v for v in query.getlist("id") if v.strip()]
    view = CompareView("ids" if ids else "filter", criteria=criteria)
    try:
        offers = _chosen(ids, view) if ids else _filtered(query, view)
    except InvalidFilter as exc:
        view.error = str(exc)
        return view
    view.offers = [candidate(o) for o in offers]
    return view


def _chosen(ids: list[str], view: CompareView) -> list[dict[str, Any]]:
    if len(ids) > MAX_IDS:
        raise InvalidFilter(f"compare at most {MAX_IDS} offers at once")
    found = []
    for raw in ids:
        if not raw.isdigit():
            raise InvalidFilter(f"id must be an offer id, not '{raw}'")
        try:
            found.append(selectors.offer_get(offer_id=int(raw)))
        except NotFound:
            view.notes.append(f"offer {raw} is gone (its provider no longer lists it)")
    return found


def _filtered(query: QueryDict, view: CompareView) -> list[dict[str, Any]]:
    parsed = offer_query_parse(query)
    filters = parsed.filters or dict(DEFAULT_FILTERS)
    view.query = OfferQuery(filters, "price_per_gpu_hour", 1, DEFAULT_LIMIT)
    limit = query.get("limit", "").strip()
    view.limit = int(limit) if limit.isdigit() and 2 <= int(limit) <= 200 else DEFAULT_LIMIT
    page = selectors.offers_page(params=filters, sort="price_per_gpu_hour", page=1,
                                 per_page=view.limit)
    view.notes += page.warnings
    return page.items


def candidate(offer: dict[str, Any]) -> dict[str, Any]:
    """One offer with the values of every criterion (None where unknown)."""
    count = offer["gpu_count"]
    spec = _spec(offer["gpu_name"])
    bf16 = getattr(spec, "bf16_tflops", None)
    bandwidth = getattr(spec, "mem_bw_gbs", None)
    values = {
        "price_per_gpu_hour": offer["price_per_gpu_hour"],
        "price_per_hour": offer["price_per_hour"],
        "total_gpu_memory_gb": offer["total_gpu_memory_gb"],
        "bf16_tflops": round(bf16 * count, 1) if bf16 else None,
        "mem_bw_gbs": round(bandwidth * count, 1) if bandwidth else None,
        "vcpus": offer["vcpus"], "memory_gb": offer["memory_gb"],
    }
    keys = ("id", "provider", "instance_type", "region", "gpu_name", "gpu_raw_name",
            "gpu_count", "spot")
    return {**{k: offer[k] for k in keys}, "values": values}


def _spec(name: str | None) -> Any:
    if not name:
        return None
    try:
        return gpu_spec(name)
    except MathInputError:
        return None
