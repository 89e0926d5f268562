"""What the market page shows, read through the KPI selectors: the market at a glance,
cheapest per GPU, biggest price moves, spot discounts, and each provider's sync status."""

from __future__ import annotations

from typing import Any

from common.errors import NotFound
from kpi import insights
from kpi import selectors as kpi_selectors
from market import selectors
from web.charts import BarChart, bar_chart

POPULAR = 12


def market_view() -> dict[str, Any]:
    overview = kpi_selectors.kpi_overview()
    found = insights.kpi_insights_market(limit=10)
    popular = [g["gpu"] for g in overview["popular_gpus"][:POPULAR]]
    discounts = spot_discounts(popular)
    cheapest = sorted(found["cheapest"], key=lambda c: c["price_per_gpu_hour"])
    return {
        "overview": overview, "insights": found, "providers": selectors.providers_status(),
        "cheapest_chart": _chart([(c["gpu"], c["price_per_gpu_hour"]) for c in cheapest
                                  if c["gpu"] in popular]),
        "discount_chart": _chart([(gpu, share * 100) for gpu, share in discounts]),
        "discounts": discounts,
        "moves_tables": [("Biggest drops", found["drops"][:8]),
                         ("Biggest rises", found["rises"][:8])],
    }


def spot_discounts(gpus: list[str]) -> list[tuple[str, float]]:
    """(GPU, 1 - spot median / on-demand median) for the GPUs that have both, largest first."""
    found = []
    for gpu in gpus:
        try:
            share = kpi_selectors.kpi_gpu(gpu=gpu)["spot_discount"]
        except NotFound:
            continue
        if share is not None:
            found.append((gpu, share))
    return sorted(found, key=lambda pair: -pair[1])


def _chart(items: list[tuple[str, float]]) -> BarChart | None:
    return bar_chart(items) if items else None
