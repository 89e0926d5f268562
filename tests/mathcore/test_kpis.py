"""KPI formulas: hand-computed tables and rejection of every bad argument."""

from __future__ import annotations

import numpy as np
import pytest

from mathcore.errors import MathInputError
from mathcore.kpis import (
    usd_per_gb_vram_hour,
    usd_per_gpu_hour,
    usd_per_million_tokens,
    usd_per_pflop,
    usd_per_tflop_hour,
    usd_to_finish,
)

CASES = [
    # function, kwargs, expected USD
    (usd_per_gpu_hour, {"price_usd_per_hour": 24.0, "gpu_count": 8}, 3.0),
    (usd_per_gpu_hour, {"price_usd_per_hour": 1.5, "gpu_count": 0.5}, 3.0),
    (usd_per_tflop_hour, {"price_usd_per_hour": 2.0, "tflops": 1000.0}, 0.002),
    (usd_per_tflop_hour, {"price_usd_per_hour": 16.0, "tflops": 1000.0, "gpu_count": 8}, 0.002),
    # 1 PFLOP at 1000 TFLOP/s takes 1 s = 1/3600 h
    (usd_per_pflop, {"price_usd_per_hour": 3.6, "tflops": 1000.0}, 0.001),
    (usd_per_pflop, {"price_usd_per_hour": 3.6, "tflops": 250.0, "gpu_count": 2,
                     "utilization": 0.5}, 0.004),
    (usd_per_gb_vram_hour, {"price_usd_per_hour": 2.0, "gpu_memory_gb": 80.0}, 0.025),
    (usd_per_gb_vram_hour, {"price_usd_per_hour": 16.0, "gpu_memory_gb": 80.0, "gpu_count": 8},
     0.025),
    # 1000 tokens/s = 3.6 M tokens per hour
    (usd_per_million_tokens, {"price_usd_per_hour": 3.6, "tokens_per_s": 1000.0}, 1.0),
    (usd_per_million_tokens, {"price_usd_per_hour": 2.0, "tokens_per_s": 2500}, 2.0 / 9.0),
    (usd_to_finish, {"price_usd_per_hour": 2.5, "hours": 10}, 25.0),
    (usd_to_finish, {"price_usd_per_hour": np.float64(2.0), "hours": np.int64(3)}, 6.0),
]


@pytest.mark.parametrize("function, kwargs, expected", CASES)
def test_hand_computed(function, kwargs, expected) -> None:
    assert function(**kwargs) == pytest.approx(expected, rel=1e-12)


BAD_VALUES = [0, -1.0, float("nan"), float("inf"), True, "3", None]
ARGUMENTS = [
    (usd_per_gpu_hour, {"price_usd_per_hour": 1.0, "gpu_count": 1}),
    (usd_per_tflop_hour, {"price_usd_per_hour": 1.0, "tflops": 100.0, "gpu_count": 1}),
    (usd_per_pflop, {"price_usd_per_hour": 1.0, "tflops": 100.0, "gpu_count": 1,
                     "utilization": 0.5}),
    (usd_per_gb_vram_hour, {"price_usd_per_hour": 1.0, "gpu_memory_gb": 80, "gpu_count": 1}),
    (usd_per_million_tokens, {"price_usd_per_hour": 1.0, "tokens_per_s": 100.0}),
    (usd_to_finish, {"price_usd_per_hour": 1.0, "hours": 2.0}),
]
BAD_CALLS = [
    (function, {**kwargs, name: bad}, name)
    for function, kwargs in ARGUMENTS
    for name in kwargs
    for bad in BAD_VALUES
]


@pytest.mark.parametrize("function, kwargs, name", BAD_CALLS)
def test_bad_argument_is_named(function, kwargs, name) -> None:
    with pytest.raises(MathInputError, match=name):
        function(**kwargs)


def test_utilization_above_one_is_rejected() -> None:
    with pytest.raises(MathInputError, match=r"utilization must be in \(0, 1\]"):
        usd_per_pflop(1.0, 100.0, utilization=1.5)
