"""An alert as conditions of the query language: its filters, then its price limits.

The filters are parsed by the offers API's own parser (``market.query.params``), so an alert
accepts exactly what ``GET /api/v2/providers/`` accepts and refuses it with the same
InvalidFilter. The limits are the API's ``max_price_per_gpu`` and ``max_price``.
"""

from __future__ import annotations

from typing import Any

from market.query.conditions import Condition
from market.query.params import conditions_from_params, filters_validate


def alert_conditions(alert: Any) -> list[Condition]:
    """Conditions an offer must meet to meet ``alert``; InvalidFilter if it has bad filters."""
    filters = {k: v for k, v in alert.filters.items() if k != "q"}
    q = str(alert.filters.get("q") or "")
    filters_validate(filters=filters, q=q)
    limits = {"max_price_per_gpu": alert.max_price_per_gpu_hour,
              "max_price": alert.max_price_per_hour}
    return conditions_from_params({**filters, "q": q}) + conditions_from_params(
        {k: v for k, v in limits.items() if v is not None})
