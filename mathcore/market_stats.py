"""Market statistics over prices: quantiles, spot discount, price index, change, volatility.

Pure functions on plain numbers (USD per GPU-hour unless said). The KPI engines compute
quantiles inside SQL where they must (ClickHouse's quantileExactInclusive, PostgreSQL's
percentile_cont, SQLite through `quantile` itself); all of them follow the one definition
here: linear interpolation between closest ranks (Hyndman & Fan type 7, numpy's default),
`q` in [0, 1], position h = (n - 1) * q.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from mathcore.errors import MathInputError

SUMMARY_QUANTILES = {"min": 0.0, "p25": 0.25, "median": 0.5, "p75": 0.75, "max": 1.0}


def quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile of ``values`` by linear interpolation (type 7); values need not be sorted.

    values: at least one finite number; q: 0 <= q <= 1 (0 = min, 0.5 = median, 1 = max).
    """
    if not 0.0 <= q <= 1.0 or math.isnan(q):
        raise MathInputError(f"q must be in [0, 1], got {q!r}")
    ordered = sorted(_finite(values, "values"))
    if not ordered:
        raise MathInputError("values must not be empty")
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def price_summary(values: Sequence[float]) -> dict[str, float]:
    """min, p25, median, p75 and max of ``values`` (see `quantile`)."""
    return {name: quantile(values, q) for name, q in SUMMARY_QUANTILES.items()}


def spot_discount(on_demand_usd: float | None, spot_usd: float | None) -> float | None:
    """Fraction saved by spot: 1 - spot / on-demand (0.6 = spot costs 60 % less).

    Both are comparable prices (e.g. medians per GPU-hour); None when either is missing.
    Negative when spot is dearer, as happens in real catalogs.
    """
    if on_demand_usd is None or spot_usd is None:
        return None
    on_demand = _positive(on_demand_usd, "on_demand_usd")
    return 1.0 - _positive(spot_usd, "spot_usd") / on_demand


def price_index(own: Mapping[str, tuple[float, float]],
                market: Mapping[str, float]) -> float | None:
    """A provider's prices against the market: sum(w_g * own_g / market_g) / sum(w_g).

    own: GPU -> (the provider's median USD per GPU-hour, its offer count w_g > 0);
    market: GPU -> market median USD per GPU-hour. GPUs missing from ``market`` are left
    out. 1.0 = at the market median, 0.8 = 20 % cheaper. None when no GPU is shared.
    """
    weighted = total = 0.0
    for gpu, (median, count) in own.items():
        if gpu not in market:
            continue
        weight = _positive(count, "count")
        weighted += weight * _positive(median, "median") / _positive(market[gpu], "market")
        total += weight
    return weighted / total if total else None


def pct_change(old: float, new: float) -> float:
    """Relative change from ``old`` to ``new``: (new - old) / old (-0.1 = 10 % cheaper)."""
    return (_finite_one(new, "new") - _positive(old, "old")) / _positive(old, "old")


def volatility(series: Sequence[float]) -> float | None:
    """Volatility of a price series: sample standard deviation of its log returns.

    series: prices in time order (e.g. one median per day), each > 0. None with fewer than
    three prices (two returns are the least a deviation needs).
    """
    prices = [_positive(p, "series") for p in series]
    if len(prices) < 3:
        return None
    returns = [math.log(b / a) for a, b in zip(prices, prices[1:], strict=False)]
    mean = sum(returns) / len(returns)
    return math.sqrt(sum((r - mean) ** 2 for r in returns) / (len(returns) - 1))


def spread(prices: Iterable[float]) -> float | None:
    """Spread of prices across sellers: (max - min) / min; None for fewer than two."""
    values = [_positive(p, "prices") for p in prices]
    if len(values) < 2:
        return None
    return (max(values) - min(values)) / min(values)


def _finite(values: Iterable[float], name: str) -> list[float]:
    return [_finite_one(v, name) for v in values]


def _finite_one(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MathInputError(f"{name} must be finite numbers, got {value!r}")
    return float(value)


def _positive(value: float, name: str) -> float:
    number = _finite_one(value, name)
    if number <= 0:
        raise MathInputError(f"{name} must be > 0, got {value!r}")
    return number
