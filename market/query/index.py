"""An in-memory, columnar copy of all offers, rebuilt when a sync changed the store.

Queries run on numpy arrays instead of SQL: a filter is a boolean mask, so a whole query
over every offer costs tens of microseconds. Each process keeps one index; a sync in this
process rebuilds it at once, and a sync elsewhere (another worker, the CLI) is noticed
within ``RECHECK_S`` through the latest sync-run id (`offers_version`). While the database
cannot be reached, queries are answered from the index already built (the offers as of the
last check).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection

from common.memory import long_lived_settled
from common.outages import DATABASE_ERRORS
from market.fields import BOOL_FIELDS, NUMERIC_FIELDS, OFFER_COLUMNS, TEXT_FIELDS, offer_row
from market.models import Offer, SyncRun
from market.query.merge import offers_merged
from market.snapshot import SNAPSHOT_LABEL

RECHECK_S = 1.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextColumn:
    """Lower-cased values as integer codes, so set membership is a table lookup per row."""

    codes: np.ndarray
    vocabulary: dict[str, int]  # lower-cased value -> code
    display: list[str]  # code -> value as stored

    def codes_for(self, values: list[str]) -> np.ndarray:
        return np.array([self.vocabulary[v.lower()] for v in values if v.lower() in
                         self.vocabulary], dtype=np.int32)

    def hits(self, values: list[str]) -> np.ndarray:
        """Where the column holds one of ``values`` (without case): one table lookup per row
        (``numpy.isin`` sorted both sides on every query)."""
        table = np.zeros(len(self.display), dtype=bool)
        table[self.codes_for(values)] = True
        return table[self.codes]


@dataclass(frozen=True)
class OfferIndex:
    version: int
    rows: Sequence[Mapping[str, Any]]  # offers in the API's shape, by position
    ids: np.ndarray
    numeric: dict[str, np.ndarray]  # float64, NaN where unknown
    text: dict[str, TextColumn]
    flags: dict[str, np.ndarray]  # bool
    from_snapshot: bool = False  # some offers come from the bundled catalog snapshot

    def __len__(self) -> int:
        return len(self.rows)


def index_build(rows: Sequence[Mapping[str, Any]], version: int = 0, *,
                fields: Iterable[str] | None = None) -> OfferIndex:
    """Columns over ``rows`` (offers in the API's shape; a field a row lacks is unknown).

    ``fields``: build only these columns (what a filter tests), e.g. for a batch of deltas.
    """
    wanted = set(fields) if fields is not None else None

    def want(name: str) -> bool:
        return wanted is None or name in wanted

    numeric = {f: np.array([_num(r.get(f)) for r in rows], dtype=np.float64)
               for f in NUMERIC_FIELDS if want(f)}
    text = {f: _text_column([r.get(f) for r in rows])
            for f in (*TEXT_FIELDS, "gpu_raw_name") if want(f)}
    flags = {f: np.array([bool(r.get(f)) for r in rows], dtype=bool)
             for f in BOOL_FIELDS if want(f)}
    ids = np.array([r.get("id") or 0 for r in rows], dtype=np.int64)
    from_snapshot = fields is None and any(
        str(r.get("source") or "").startswith(SNAPSHOT_LABEL) for r in rows)
    return OfferIndex(version, rows, ids, numeric, text, flags, from_snapshot)


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
        self.degraded = False  # the database was unreachable at the last check
        # One check of the store at a time per process: 50 requests finding the index due at
        # once would otherwise each ask the database (each a new connection).
        self.checking = threading.Lock()


_holder = _Holder()


def offer_index() -> OfferIndex:
    """The current index, rebuilt if the store changed since it was built. While another
    request of this process is checking the store, the index as of the last check."""
    index = _holder.index
    if index is not None and time.monotonic() - _holder.checked_at < RECHECK_S:
        return index
    if index is not None and not _holder.checking.acquire(blocking=False):
        return index  # another request of this process is checking the store right now
    if index is None:
        _holder.checking.acquire()  # nothing to answer from: wait for a build in flight
    try:
        if _holder.index is not None and time.monotonic() - _holder.checked_at < RECHECK_S:
            return _holder.index  # checked while this request waited
        return _index_checked()
    finally:
        _holder.checking.release()


def offer_index_fresh() -> OfferIndex:
    """The index, checked against the store now rather than within ``RECHECK_S``."""
    with _holder.checking:
        return _index_checked()


def _index_checked() -> OfferIndex:
    """Ask the store for its version; rebuild the index if it moved (``checking`` held)."""
    index = _holder.index
    try:
        version = offers_version()
    except DATABASE_ERRORS as exc:
        if index is None:
            raise
        if not _holder.degraded:
            log.warning("offer index: the database cannot be reached (%s); answering from "
                        "the index of store version %d until it can", type(exc).__name__,
                        index.version)
        _holder.degraded = True
        return index  # checked_at unchanged: the next query asks the database again
    _holder.degraded = False
    if index is None or index.version != version:
        stored = Offer.objects.order_by("id").values(*OFFER_COLUMNS)
        index = _holder.index = index_build(
            [offer_row(o) for o in offers_merged(list(stored))], version)
        long_lived_settled()  # its rows stay out of full collections (serve only)
    _holder.checked_at = time.monotonic()
    return index


def offer_index_invalidate(*_: object) -> None:
    """Forget the index; the next query rebuilds it (called after every sync)."""
    _holder.index = None


def offers_version() -> int:
    """The store's version: the id of the latest sync run. Every write of offers is a sync,
    and a sync commits its run with its offers (`market.services.sync`), so whoever reads
    this number sees the offers of that run or later ones (the KPI answers key on it too)."""
    with connection.cursor() as cursor:  # ~10 us; the ORM's aggregate() costs ~100 us
        cursor.execute(f"SELECT MAX(id) FROM {SyncRun._meta.db_table}")
        return int(cursor.fetchone()[0] or 0)
