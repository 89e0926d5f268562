"""An in-memory, columnar copy of all offers, rebuilt when a sync changed the store.

Queries run on numpy arrays instead of SQL: a filter is a boolean mask, so a whole query
over every offer costs tens of microseconds. Each process keeps one index; a sync in this
process rebuilds it at once, and a sync elsewhere (another worker, the CLI) is noticed
within ``RECHECK_S`` through the latest sync-run id.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Max

from market.models import Offer, SyncRun
from market.query.fields import BOOL_FIELDS, NUMERIC_FIELDS, TEXT_FIELDS
from market.query.merge import offers_merged

RECHECK_S = 1.0
OFFER_COLUMNS = (
    "id", "provider_id", "instance_type", "region", "zones", "country", "continent", "gpu_name",
    "gpu_raw_name", "gpu_vendor", "gpu_kind", "gpu_count", "gpu_memory_gb", "vcpus", "memory_gb",
    "disk_gb", "price_per_hour", "price_per_gpu_hour", "spot", "source", "fetched_at", "stale",
)


@dataclass(frozen=True)
class TextColumn:
    """Lower-cased values as integer codes, so set membership is an integer ``isin``."""

    codes: np.ndarray
    vocabulary: dict[str, int]  # lower-cased value -> code
    display: list[str]  # code -> value as stored

    def codes_for(self, values: list[str]) -> np.ndarray:
        return np.array([self.vocabulary[v.lower()] for v in values if v.lower() in
                         self.vocabulary], dtype=np.int32)


@dataclass(frozen=True)
class OfferIndex:
    version: int
    rows: list[dict[str, Any]]  # offers in the API's shape, by position
    ids: np.ndarray
    numeric: dict[str, np.ndarray]  # float64, NaN where unknown
    text: dict[str, TextColumn]
    flags: dict[str, np.ndarray]  # bool

    def __len__(self) -> int:
        return len(self.rows)


def index_build(offers: list[dict[str, Any]], version: int) -> OfferIndex:
    rows = [offer_shape(o) for o in offers]
    numeric = {f: np.array([_num(r[f]) for r in rows], dtype=np.float64) for f in NUMERIC_FIELDS}
    text = {f: _text_column([r[f] for r in rows]) for f in (*TEXT_FIELDS, "gpu_raw_name")}
    flags = {f: np.array([bool(r[f]) for r in rows], dtype=bool) for f in BOOL_FIELDS}
    ids = np.array([r["id"] for r in rows], dtype=np.int64)
    return OfferIndex(version, rows, ids, numeric, text, flags)


def offer_shape(o: dict[str, Any]) -> dict[str, Any]:
    """A stored offer in the API's shape (one shape for every provider)."""
    memory = o["gpu_memory_gb"]
    return {
        "id": o["id"], "provider": o["provider_id"], "instance_type": o["instance_type"],
        "region": o["region"], "zones": o["zones"], "country": o["country"],
        "continent": o["continent"], "gpu_name": o["gpu_name"], "gpu_raw_name": o["gpu_raw_name"],
        "gpu_vendor": o["gpu_vendor"], "gpu_kind": o["gpu_kind"], "gpu_count": o["gpu_count"],
        "gpu_memory_gb": memory,
        "total_gpu_memory_gb": round(memory * o["gpu_count"], 2) if memory else None,
        "vcpus": o["vcpus"], "memory_gb": o["memory_gb"], "disk_gb": o["disk_gb"],
        "price_per_hour": o["price_per_hour"], "price_per_gpu_hour": o["price_per_gpu_hour"],
        "spot": o["spot"], "source": o["source"], "fetched_at": o["fetched_at"],
        "stale": o["stale"],
    }


def _num(value: float | None) -> float:
    return float("nan") if value is None else float(value)


def _text_column(values: list[str | None]) -> TextColumn:
    vocabulary: dict[str, int] = {}
    display: list[str] = []
    codes = np.empty(len(values), dtype=np.int32)
    for i, value in enumerate(values):
        key = (value or "").lower()
        if key not in vocabulary:
            vocabulary[key] = len(display)
            display.append(value or "")
        codes[i] = vocabulary[key]
    return TextColumn(codes, vocabulary, display)


class _Holder:
    def __init__(self) -> None:
        self.index: OfferIndex | None = None
        self.checked_at = 0.0
        self.lock = threading.Lock()


_holder = _Holder()


def offer_index() -> OfferIndex:
    """The current index, rebuilt if the store changed since it was built."""
    index = _holder.index
    if index is not None and time.monotonic() - _holder.checked_at < RECHECK_S:
        return index
    version = _store_version()
    if index is not None and index.version == version:
        _holder.checked_at = time.monotonic()
        return index
    with _holder.lock:
        if _holder.index is None or _holder.index.version != version:
            offers = offers_merged(list(Offer.objects.order_by("id").values(*OFFER_COLUMNS)))
            _holder.index = index_build(offers, version)
        _holder.checked_at = time.monotonic()
        return _holder.index


def offer_index_fresh() -> OfferIndex:
    """The index, checked against the store now rather than within ``RECHECK_S``."""
    _holder.checked_at = 0.0
    return offer_index()


def offer_index_invalidate(*_: object) -> None:
    """Forget the index; the next query rebuilds it (called after every sync)."""
    _holder.index = None


def _store_version() -> int:
    return SyncRun.objects.aggregate(v=Max("id"))["v"] or 0
