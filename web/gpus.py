"""What the GPU page shows: datasheet facts with their sources, prices across providers,
price history, and what the page's cost-per-token panel needs."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from market import selectors
from market.models import PriceObservation
from mathcore.errors import MathInputError
from mathcore.gpus import FIGURES, gpu_spec
from mathcore.llm_models import MODEL_SPECS
from web.charts import RangeChart, range_chart

FIGURE_LABELS = {
    "memory_gb": ("Memory", "GB"), "mem_bw_gbs": ("Memory bandwidth", "GB/s"),
    "bf16_tflops": ("BF16 dense", "TFLOPS"), "fp16_tflops": ("FP16 dense", "TFLOPS"),
    "fp8_tflops": ("FP8 dense", "TFLOPS"), "fp32_tflops": ("FP32", "TFLOPS"),
    "tdp_w": ("Max power", "W"), "interconnect": ("Interconnect", ""),
}


@dataclass
class Source:
    title: str
    url: str
    figures: str


@dataclass
class GpuView:
    name: str
    vendor: str | None = None
    facts: list[tuple[str, Any, str]] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    offers: int = 0
    on_demand: dict[str, float] = field(default_factory=dict)
    spot: dict[str, float] = field(default_factory=dict)
    ranges: RangeChart | None = None
    cheapest: list[dict[str, Any]] = field(default_factory=list)
    history: dict[str, list[Any]] = field(default_factory=dict)
    models: list[str] = field(default_factory=list)


def gpu_view(*, name: str) -> GpuView | None:
    """The GPU page for ``name``; None if it is neither a known GPU nor in any offer."""
    offers = selectors.offers_matching({"gpu": [name]}, sort="price_per_gpu_hour")
    view = GpuView(name, offers=len(offers), models=sorted(MODEL_SPECS))
    known = _datasheet(view)
    if not known and not offers:
        return None
    on_demand = [o for o in offers if not o["spot"]]
    view.on_demand = _stats([o["price_per_gpu_hour"] for o in on_demand])
    view.spot = _stats([o["price_per_gpu_hour"] for o in offers if o["spot"]])
    view.ranges = range_chart(_by_provider(on_demand)) if on_demand else None
    view.cheapest = on_demand[:8]
    view.history = price_history(gpu_names={o["gpu_name"] for o in offers} or {name})
    return view


def _datasheet(view: GpuView) -> bool:
    try:
        spec = gpu_spec(view.name)
    except MathInputError:
        return False
    view.vendor = spec.vendor
    for figure in FIGURES:
        value = getattr(spec, figure)
        if value is not None:
            label, unit = FIGURE_LABELS[figure]
            view.facts.append((label, value, unit))
    view.sources = [_source(s) for s in spec.sources]
    view.variants = list(spec.variants)
    return True


def _source(text: str) -> Source:
    parts = text.split(" | ")
    if len(parts) != 3:
        return Source(text, "", "")
    names = ", ".join(FIGURE_LABELS.get(f.strip(), (f.strip(), ""))[0] for f in parts[2].split(","))
    return Source(parts[0], parts[1], names)


def _stats(prices: list[float]) -> dict[str, float]:
    if not prices:
        return {}
    return {"count": len(prices), "min": min(prices), "median": statistics.median(prices),
            "max": max(prices)}


def _by_provider(offers: list[dict[str, Any]]) -> dict[str, list[float]]:
    groups: dict[str, list[float]] = {}
    for offer in offers:
        groups.setdefault(offer["provider"], []).append(offer["price_per_gpu_hour"])
    return groups


def price_history(*, gpu_names: set[str]) -> dict[str, list[Any]]:
    """Lowest and median on-demand price per GPU-hour as later syncs changed prices.

    Observations are grouped by their time (one provider's sync shares one). Until a group
    re-prices an offer already seen, the groups are the first sync; its end is the first
    point, and each later group adds one. Each offer keeps its last observed price, so a
    point is the market as the syncs so far saw it. Empty after a single sync.
    """
    rows = (PriceObservation.objects.filter(gpu_name__in=gpu_names, spot=False)
            .order_by("observed_at", "id")
            .values_list("observed_at", "provider", "instance_type", "region",
                         "price_per_gpu_hour"))
    latest: dict[tuple[str, str, str], float] = {}
    points: list[tuple[float, float, float]] = []
    previous_at = 0.0
    for at, group in groupby(rows, key=lambda r: r[0]):
        observed = {(p, i, r): price for _, p, i, r, price in group}
        if not points and latest and observed.keys() & latest.keys():
            points.append(_point(previous_at, latest))
        latest.update(observed)
        if points:
            points.append(_point(at.timestamp(), latest))
        previous_at = at.timestamp()
    return {"t": [p[0] for p in points], "min": [p[1] for p in points],
            "median": [p[2] for p in points]} if points else {}


def _point(at: float, latest: dict[tuple[str, str, str], float]) -> tuple[float, float, float]:
    prices = list(latest.values())
    return at, min(prices), statistics.median(prices)
