"""Conditions applied to one delta, with the offer index's rules (``market.query.masks``).

A numeric field the delta lacks (or holds None) never matches; text compares without case,
and a missing text is empty; ``gpu`` matches by family or by the raw name the source wrote.
A delta's ``price_per_hour`` is its new price, or its last one when the offer was removed.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from market.normalize.gpu_names import gpu_family_members
from market.query.conditions import Condition
from market.query.fields import BOOL_FIELDS, NUMERIC_FIELDS

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "=": operator.eq, "!=": operator.ne,
}


def deltas_matching(deltas: Sequence[Mapping[str, Any]],
                    conditions: Sequence[Condition]) -> list[Mapping[str, Any]]:
    """The deltas (as sent on the layer) that meet every condition."""
    if not conditions:
        return list(deltas)
    return [d for d in deltas if fields_match(delta_fields(d), conditions)]


def delta_fields(delta: Mapping[str, Any]) -> dict[str, Any]:
    """A delta with the derived fields a query can name (``price_per_hour``, totals)."""
    new, old = delta.get("new_price_per_hour"), delta.get("old_price_per_hour")
    memory, count = delta.get("gpu_memory_gb"), delta.get("gpu_count")
    total = round(memory * count, 2) if memory and count is not None else None
    return {**delta, "price_per_hour": new if new is not None else old,
            "total_gpu_memory_gb": total, "stale": False}


def fields_match(fields: Mapping[str, Any], conditions: Sequence[Condition]) -> bool:
    return all(condition_holds(fields, c) for c in conditions)


def condition_holds(fields: Mapping[str, Any], condition: Condition) -> bool:
    if condition.field in NUMERIC_FIELDS:
        return _number_holds(fields.get(condition.field), condition)
    if condition.field in BOOL_FIELDS:
        hit = bool(fields.get(condition.field)) == condition.value
        return hit if condition.op == "in" else not hit
    assert isinstance(condition.value, tuple)
    hit = _text_hit(fields, condition.field, list(condition.value))
    return hit if condition.op in ("=", "in") else not hit


def _number_holds(value: Any, condition: Condition) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
        return False
    assert isinstance(condition.value, float)
    return _COMPARE[condition.op](float(value), condition.value)


def _text_hit(fields: Mapping[str, Any], field: str, values: list[str]) -> bool:
    wanted = {v.lower() for v in values}
    if field == "gpu_name":
        family = {m.lower() for v in values for m in gpu_family_members(v)}
        return _lower(fields.get("gpu_name")) in family or _lower(fields.get("gpu_raw_name")) \
            in wanted
    return _lower(fields.get(field)) in wanted


def _lower(value: Any) -> str:
    return str(value or "").lower()
