"""An alert as conditions of the query language: its filters, then its price limits.

The filters are compiled by the market's one filter evaluator (``market.query.filters``), so
an alert accepts exactly what ``GET /api/v2/providers/`` accepts, refuses it with the same
InvalidFilter, and matches offers as queries and subscriptions do. The limits are the API's
``max_price_per_gpu`` and ``max_price``.
"""

from __future__ import annotations

from typing import Any

from market.query.conditions import Condition
from market.query.filters import filter_compile, filters_validate


def alert_conditions(alert: Any) -> list[Condition]:
    """Conditions an offer must meet to meet ``alert``; InvalidFilter if it has bad filters."""
    filters = {k: v for k, v in alert.filters.items() if k != "q"}
    q = str(alert.filters.get("q") or "")
    filters_validate(filters=filters, q=q)
    limits = {"max_price_per_gpu": alert.max_price_per_gpu_hour,
              "max_price": alert.max_price_per_hour}
    compiled = filter_compile({**filters, "q": q}).conditions + filter_compile(
        {k: v for k, v in limits.items() if v is not None}).conditions
    return list(compiled)
