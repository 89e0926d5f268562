"""KPIs computed straight from the catalog CSV rows, apart from the code under test.

Offers come from tests/market/catalog_truth.py (its own CSV reader). A GPU family here is
the CSV's AcceleratorName up to its first "-" (H100-SXM, H100-MEGA -> H100); quantiles are
numpy's (linear interpolation), never the code under test.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np

from tests.market.catalog_truth import Expected, expected_offers


def family(e: Expected) -> str:
    return e.accelerator.split("-")[0].upper()


def per_gpu_hour(e: Expected) -> float:
    return e.price / e.count


def truth_stats(prices: list[float]) -> dict[str, float] | None:
    if not prices:
        return None
    q = np.quantile(prices, [0.0, 0.25, 0.5, 0.75, 1.0])
    return {"offers": len(prices), "min": q[0], "p25": q[1], "median": q[2], "p75": q[3],
            "max": q[4]}


def family_truth(offers: dict, name: str) -> dict:
    rows = [e for e in offers.values() if family(e) == name]
    on_demand = truth_stats([per_gpu_hour(e) for e in rows if not e.spot])
    spot = truth_stats([per_gpu_hour(e) for e in rows if e.spot])
    discount = (1 - spot["median"] / on_demand["median"]) if on_demand and spot else None
    providers = {}
    for provider in sorted({e.provider for e in rows}):
        mine = [e for e in rows if e.provider == provider]
        providers[provider] = {
            "on_demand": truth_stats([per_gpu_hour(e) for e in mine if not e.spot]),
            "spot": truth_stats([per_gpu_hour(e) for e in mine if e.spot]),
            "regions": sorted({e.region for e in mine})}
    return {"offers": len(rows), "on_demand": on_demand, "spot": spot,
            "spot_discount": discount, "providers": providers,
            "regions": len({(e.provider, e.region) for e in rows})}


def provider_index_truth(offers: dict, provider: str, gpu_of) -> float:
    """sum(count_g * provider median_g / market median_g) / sum(count_g), on-demand."""
    by_gpu: dict[str, list[float]] = defaultdict(list)
    mine: dict[str, list[float]] = defaultdict(list)
    for e in offers.values():
        if e.spot:
            continue
        by_gpu[gpu_of(e)].append(per_gpu_hour(e))
        if e.provider == provider:
            mine[gpu_of(e)].append(per_gpu_hour(e))
    weights = {g: len(v) for g, v in mine.items()}
    ratios = {g: float(np.median(v)) / float(np.median(by_gpu[g])) for g, v in mine.items()}
    return sum(weights[g] * ratios[g] for g in mine) / sum(weights.values())


def snapshot_offers(folder: Path) -> dict:
    return expected_offers(folder)
