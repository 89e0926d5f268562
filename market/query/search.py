"""``offers_search``: filter, explain an empty answer, sort and page — all on the index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from common.errors import InvalidFilter
from market.normalize.gpu_names import gpu_names_nearest
from market.query.fields import NUMERIC_FIELDS, field_canonical
from market.query.filters import OfferFilter
from market.query.index import OfferIndex, offer_index
from market.query.masks import condition_mask, whole_gpus
from market.query.relax import Relaxation, relaxations_find
from market.snapshot import snapshot_warning

MAX_PER_PAGE = 500
DEFAULT_SORT = "price_per_hour"
EMPTY_STORE = ("no offers are stored yet: run `gpubroker sync` (or wait for the first sync of "
               "`gpubroker serve`); GET /api/v2/providers/config shows each provider's status")


@dataclass
class OfferPage:
    items: list[Mapping[str, Any]]
    total: int
    page: int
    per_page: int
    warnings: list[str] = field(default_factory=list)
    relaxations: list[Relaxation] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The page as the API and the CLI's --json print it."""
        return {"items": self.items, "total": self.total, "page": self.page,
                "per_page": self.per_page, "warnings": self.warnings,
                "relaxations": [asdict(r) for r in self.relaxations]}


def offers_search(*, offer_filter: OfferFilter, sort: str = DEFAULT_SORT, page: int = 1,
                  per_page: int = 50, index: OfferIndex | None = None) -> OfferPage:
    index = index if index is not None else offer_index()
    key, descending = sort_key(sort)
    mask = offer_filter.mask(index)
    positions = np.flatnonzero(mask)
    ordered = positions[_order(index, positions, key, descending)]
    start = (page - 1) * per_page
    items = [index.rows[i] for i in ordered[start:start + per_page]]
    warnings = _gpu_warnings(offer_filter) + _provider_warnings(index, offer_filter)
    result = OfferPage(items, int(positions.size), page, per_page, warnings)
    if index.from_snapshot:
        result.warnings.insert(0, snapshot_warning())
    if not len(index):
        result.warnings.append(EMPTY_STORE)
    elif positions.size == 0:
        _explain_empty(index, offer_filter, result)
    return result


def offers_matching(*, offer_filter: OfferFilter,
                    sort: str = DEFAULT_SORT) -> list[Mapping[str, Any]]:
    """Every offer that meets ``offer_filter`` (no paging), sorted."""
    index = offer_index()
    key, descending = sort_key(sort)
    positions = np.flatnonzero(offer_filter.mask(index))
    return [index.rows[i] for i in positions[_order(index, positions, key, descending)]]


def sort_key(sort: str) -> tuple[str, bool]:
    descending = sort.startswith("-")
    name = field_canonical(sort.lstrip("-+ ")) if sort.strip("-+ ") else DEFAULT_SORT
    if name not in NUMERIC_FIELDS:
        raise InvalidFilter(f"cannot sort by '{sort}': sort takes one of "
                            f"{', '.join(NUMERIC_FIELDS)}, with '-' for descending")
    return name, descending


def _order(index: OfferIndex, positions: np.ndarray, key: str, descending: bool) -> np.ndarray:
    """Positions sorted by ``key`` (nulls last), then price, then id, so pages are stable."""
    values = index.numeric[key][positions]
    primary = -values if descending else values
    price = index.numeric["price_per_hour"][positions]
    return np.lexsort((index.ids[positions], price, primary))


def _gpu_warnings(offer_filter: OfferFilter) -> list[str]:
    return [f"'{name}' is not a GPU name known here; it only matches offers whose source "
            f"wrote exactly that{_nearest_hint(name)}" for name in offer_filter.unknown_gpus]


def _nearest_hint(name: str) -> str:
    nearest = gpu_names_nearest(name)
    return f" (known names near it: {', '.join(nearest)})" if nearest else ""


def _provider_warnings(index: OfferIndex, offer_filter: OfferFilter) -> list[str]:
    known = index.text["provider"].vocabulary
    names = [v for c in offer_filter.conditions if c.field == "provider"
             and isinstance(c.value, tuple)
             for v in c.value if v.lower() not in known]
    return [f"'{name}' has no offers here (providers with offers: "
            f"{', '.join(sorted(index.text['provider'].display))})" for name in names]


def _fractional_hint(index: OfferIndex, offer_filter: OfferFilter, result: OfferPage) -> None:
    """Say so when fractional GPUs, left out by default, would have matched."""
    if not offer_filter.whole_only:
        return
    mask = ~whole_gpus(index)
    for condition in offer_filter.conditions:
        mask &= condition_mask(index, condition)
    if mask.any():
        result.warnings.append(f"{int(mask.sum())} offers of fractional GPUs (a share of one "
                               f"GPU: MIG slice, vGPU) match; add fractional=true to see them")


def _explain_empty(index: OfferIndex, offer_filter: OfferFilter, result: OfferPage) -> None:
    conditions = list(offer_filter.conditions)
    running = whole_gpus(index) if offer_filter.whole_only else np.ones(len(index), dtype=bool)
    _fractional_hint(index, offer_filter, result)
    for condition in conditions:
        before = int(running.sum())
        running &= condition_mask(index, condition)
        if not running.any():
            result.warnings.append(f"no offers left after '{condition.label}' "
                                   f"({before} offers matched the constraints before it)")
            break
    base = whole_gpus(index) if offer_filter.whole_only else None
    result.relaxations = relaxations_find(index, conditions, base)
    if result.relaxations:
        result.warnings.append(f"nearest relaxation: {result.relaxations[0].describe()}")
