"""Market statistics: hand-computed values, numpy's type-7 quantiles, bad input rejected."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mathcore.errors import MathInputError
from mathcore.market_stats import (
    pct_change,
    price_index,
    price_summary,
    quantile,
    spot_discount,
    spread,
    volatility,
)


@pytest.mark.parametrize("values, q, expected", [
    ([1.0], 0.5, 1.0),
    ([3.0, 1.0, 2.0], 0.5, 2.0),
    ([1.0, 2.0, 3.0, 4.0], 0.5, 2.5),
    ([1.0, 2.0, 3.0, 4.0], 0.25, 1.75),  # h = 3 * 0.25 = 0.75: 1 + 0.75 * (2 - 1)
    ([10.0, 20.0], 1.0, 20.0),
    ([10.0, 20.0], 0.0, 10.0),
])
def test_quantile_hand_computed(values, q, expected) -> None:
    assert quantile(values, q) == pytest.approx(expected)


def test_quantile_matches_numpy_linear_on_many_draws() -> None:
    rng = np.random.default_rng(7)
    for n in (1, 2, 5, 31, 200):
        values = rng.uniform(0.1, 10.0, n).tolist()
        for q in (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0):
            assert quantile(values, q) == pytest.approx(float(np.quantile(values, q)))


def test_summary_names() -> None:
    assert price_summary([4.0, 1.0, 3.0, 2.0, 5.0]) == {
        "min": 1.0, "p25": 2.0, "median": 3.0, "p75": 4.0, "max": 5.0}


@pytest.mark.parametrize("on_demand, spot, expected", [
    (2.0, 0.5, 0.75), (1.0, 1.2, -0.2), (None, 1.0, None), (1.0, None, None)])
def test_spot_discount(on_demand, spot, expected) -> None:
    result = spot_discount(on_demand, spot)
    assert result == (None if expected is None else pytest.approx(expected))


def test_price_index_weights_by_offer_count() -> None:
    # H100: 3 offers at 0.8 of market; A100: 1 offer at 1.2 of market -> (2.4 + 1.2) / 4
    own = {"H100": (2.0, 3), "A100": (1.2, 1), "Z9": (5.0, 10)}
    assert price_index(own, {"H100": 2.5, "A100": 1.0}) == pytest.approx(0.9)
    assert price_index({"Z9": (5.0, 10)}, {"H100": 2.5}) is None


def test_change_spread_volatility() -> None:
    assert pct_change(2.0, 1.5) == pytest.approx(-0.25)
    assert spread([2.0, 3.0, 2.5]) == pytest.approx(0.5)
    assert spread([2.0]) is None
    assert volatility([1.0, 2.0]) is None
    returns = [math.log(2.0), math.log(0.5)]
    expected = float(np.std(returns, ddof=1))
    assert volatility([1.0, 2.0, 1.0]) == pytest.approx(expected)
    assert volatility([3.0, 3.0, 3.0, 3.0]) == 0.0


@pytest.mark.parametrize("call", [
    lambda: quantile([], 0.5), lambda: quantile([1.0], 1.5), lambda: quantile([math.nan], 0.5),
    lambda: spot_discount(0.0, 1.0), lambda: pct_change(0.0, 1.0), lambda: volatility([1, -1, 2]),
    lambda: price_index({"a": (1.0, 0)}, {"a": 1.0}), lambda: quantile(["x"], 0.5),
])
def test_bad_input_is_rejected(call) -> None:
    with pytest.raises(MathInputError):
        call()
