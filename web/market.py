"""What the market page shows, read through the KPI selectors: the market at a glance,
cheapest per GPU, biggest price moves (since the previous sync, or over 24 h / 7 / 30 days:
``?moves=``), spot discounts, and each provider's sync status."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.utils import timezone

from common.errors import InvalidInput, NotFound
from kpi import insights
from kpi import selectors as kpi_selectors
from market import selectors
from web.charts import BarChart, bar_chart

POPULAR = 12
# ?moves= → (how long back, words after "Biggest drops"); None: since the last round of syncs
MOVE_WINDOWS: dict[str, tuple[timedelta | None, str]] = {
    "sync": (None, "since the previous sync"),
    "24h": (timedelta(hours=24), "over the last 24 hours"),
    "7d": (timedelta(days=7), "over the last 7 days"),
    "30d": (timedelta(days=30), "over the last 30 days"),
}


def moves_window(query: Mapping[str, str]) -> str:
    """The ``moves`` window the URL asks for (default: since the previous sync);
    InvalidInput names the ones there are."""
    window = query.get("moves") or "sync"
    if window not in MOVE_WINDOWS:
        raise InvalidInput(f"moves must be one of {', '.join(MOVE_WINDOWS)}")
    return window


def market_view(*, window: str = "sync") -> dict[str, Any]:
    """Everything the market page shows; price moves over ``window`` (a MOVE_WINDOWS key)."""
    overview = kpi_selectors.kpi_overview()
    back, words = MOVE_WINDOWS[window]
    found = insights.kpi_insights_market(limit=10, since=timezone.now() - back if back else None)
    popular = [g["gpu"] for g in overview["popular_gpus"][:POPULAR]]
    discounts = spot_discounts(popular)
    cheapest = sorted(found["cheapest"], key=lambda c: c["price_per_gpu_hour"])
    return {
        "overview": overview, "insights": found, "providers": selectors.providers_status(),
        "cheapest_chart": _chart([(c["gpu"], c["price_per_gpu_hour"]) for c in cheapest
                                  if c["gpu"] in popular]),
        "discount_chart": _chart([(gpu, share * 100) for gpu, share in discounts]),
        "discounts": discounts,
        "moves_tables": [(f"Biggest drops {words}", found["drops"][:8]),
                         (f"Biggest rises {words}", found["rises"][:8])],
        "moves_window": window, "moves_words": words, "moves_since": found["since"],
        "moves_windows": [(key, text) for key, (_, text) in MOVE_WINDOWS.items()],
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
