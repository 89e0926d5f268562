"""Query parameters (``GET /providers/?gpu=A100&max_price=3``) → conditions.

The same names serve the REST API, the CLI and saved searches; ``q`` adds its conditions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from common.errors import InvalidFilter
from market.fields import FILTER_PARAMS
from market.query.conditions import Condition, condition_make
from market.query.language import query_parse

# parameter -> (field, operator), from the one table (market.fields.FILTER_PARAMS)
PARAMS: dict[str, tuple[str, str]] = {p.name: (p.field, p.op) for p in FILTER_PARAMS}
CONTROL_PARAMS = ("q", "sort", "page", "per_page")


def conditions_from_params(params: Mapping[str, Any]) -> list[Condition]:
    """Conditions in parameter order, then those of ``q``; unknown names → InvalidFilter."""
    unknown = [k for k in params if k not in PARAMS and k not in CONTROL_PARAMS]
    if unknown:
        raise InvalidFilter(f"unknown filter '{unknown[0]}' (filters: {', '.join(PARAMS)})")
    conditions = [_condition(name, value) for name, value in params.items()
                  if name in PARAMS and value not in (None, "", [])]
    if params.get("q"):
        conditions += query_parse(str(params["q"]))
    return conditions


def filters_validate(*, filters: Mapping[str, Any], q: str = "") -> None:
    """Raise InvalidFilter if ``filters`` and ``q`` could not run as a query."""
    if any(k in CONTROL_PARAMS for k in filters):
        raise InvalidFilter(f"filters take filter names only, not {', '.join(CONTROL_PARAMS)}")
    conditions_from_params({**filters, "q": q})


def _condition(name: str, value: Any) -> Condition:
    field, op = PARAMS[name]
    raw = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    shown = ",".join(raw) if isinstance(raw, list) else raw
    if isinstance(value, bool):
        raw = shown = "true" if value else "false"
    return condition_make(field, op, raw, label=f"{name}={shown}", param=name)
