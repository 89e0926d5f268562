"""Conditions → boolean masks over an OfferIndex. Unknown (null) values never match.

``fractional`` is a switch, not a test: ``fractional=true`` lets fractional GPUs in beside
whole ones (``gpu_fraction<1`` picks them alone); without it, or with ``fractional=false``,
only whole GPUs match (``whole_gpus``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import numpy as np

from market.normalize.gpu_names import gpu_family_members
from market.query.conditions import Condition
from market.query.index import OfferIndex

_COMPARE: dict[str, Callable[[np.ndarray, float], np.ndarray]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "=": operator.eq, "!=": operator.ne,
}


def condition_mask(index: OfferIndex, condition: Condition) -> np.ndarray:
    if condition.field == "fractional":
        let_in = condition.value is (condition.op == "in")
        return np.ones(len(index), dtype=bool) if let_in else whole_gpus(index)
    if condition.field in index.numeric:
        column = index.numeric[condition.field]
        with np.errstate(invalid="ignore"):
            return _COMPARE[condition.op](column, condition.value) & ~np.isnan(column)
    if condition.field in index.flags:
        assert isinstance(condition.value, bool)
        hit = index.flags[condition.field] == condition.value
        return hit if condition.op == "in" else ~hit
    assert isinstance(condition.value, tuple)
    hit = _text_hit(index, condition.field, list(condition.value))
    return hit if condition.op in ("=", "in") else ~hit


def whole_gpus(index: OfferIndex) -> np.ndarray:
    """True where the offer is whole GPUs (not a share of one)."""
    return ~index.flags["fractional"]


def fractional_default(fields: frozenset[str]) -> bool:
    """Whether a filter testing ``fields`` keeps the default (whole GPUs only): it does
    unless it says ``fractional`` or tests ``gpu_fraction`` itself."""
    return not fields & {"fractional", "gpu_fraction"}


def _text_hit(index: OfferIndex, field: str, values: list[str]) -> np.ndarray:
    if field == "gpu_name":
        return _gpu_hit(index, values)
    return index.text[field].hits(values)


def _gpu_hit(index: OfferIndex, values: list[str]) -> np.ndarray:
    """A GPU matches by family (``A100`` → 40 and 80 GB), or by the raw name the source wrote."""
    names = [member for value in values for member in gpu_family_members(value)]
    return index.text["gpu_name"].hits(names) | index.text["gpu_raw_name"].hits(values)


def unknown_gpus(values: list[str]) -> list[str]:
    return [v for v in values if not gpu_family_members(v)]
