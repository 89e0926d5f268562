"""Conditions on one delta follow the offer index: hand-written deltas, hand-checked answers."""

from __future__ import annotations

from typing import Any

import pytest

from market.query.params import conditions_from_params
from realtime.matching import delta_fields, deltas_matching

H100_X2 = {
    "kind": "changed", "offer_id": 7, "provider": "vast", "instance_type": "2x-H100_SXM",
    "region": "Texas, US, NA", "spot": False, "gpu_name": "H100-SXM", "gpu_raw_name": "H100",
    "gpu_count": 2.0, "old_price_per_hour": 4.2, "new_price_per_hour": 3.6,
    "price_per_gpu_hour": 1.8, "gpu_vendor": "nvidia", "gpu_kind": "gpu", "gpu_memory_gb": 80.0,
    "vcpus": 64.0, "memory_gb": None, "disk_gb": None, "country": "US", "continent": "NA",
}


def make_delta(**overrides: Any) -> dict[str, Any]:
    return {**H100_X2, **overrides}


def _matches(params: dict[str, Any], **overrides: Any) -> bool:
    conditions = conditions_from_params(params)
    return bool(deltas_matching([make_delta(**overrides)], conditions))


@pytest.mark.parametrize(("params", "expected"), [
    ({}, True),
    ({"q": "gpu_count>=2"}, True),
    ({"q": "gpu_count>2"}, False),
    ({"q": "price<3.6"}, False),  # the new price counts
    ({"q": "price<=3.6"}, True),
    ({"q": "price_per_gpu<2"}, True),
    ({"q": "total_vram>=160"}, True),
    ({"q": "total_vram>160"}, False),
    ({"gpu": "h100"}, True),  # family
    ({"gpu": "H100-SXM"}, True),  # canonical
    ({"gpu": "A100"}, False),
    ({"q": "gpu in [A100,H100]"}, True),
    ({"q": "gpu!=H100"}, False),
    ({"provider": ["aws", "VAST"]}, True),  # text ignores case
    ({"provider": ["aws"]}, False),
    ({"q": "provider notin [aws]"}, True),
    ({"country": "US", "continent": "NA"}, True),
    ({"country": "DE"}, False),
    ({"spot": True}, False),
    ({"spot": False}, True),
    ({"q": "vendor=nvidia kind=gpu"}, True),
    ({"min_memory_gb": 1}, False),  # unknown numeric never matches
    ({"q": "memory_gb<1000"}, False),
    ({"q": "disk_gb!=5"}, False),
    ({"q": "stale=false"}, True),
    ({"q": "gpu=H100 price<4 provider in [aws,vast] gpu_count>=2"}, True),
])
def test_condition_table(params: dict[str, Any], expected: bool) -> None:
    assert _matches(params) is expected


def test_the_raw_name_the_source_wrote_also_matches_gpu() -> None:
    assert _matches({"gpu": "RTX PRO 6000 WS"}, gpu_name=None, gpu_raw_name="RTX PRO 6000 WS")


def test_a_removed_offer_is_matched_on_its_last_price() -> None:
    removed = {"kind": "removed", "old_price_per_hour": 2.5, "new_price_per_hour": None}
    assert _matches({"max_price": 3}, **removed)
    assert not _matches({"max_price": 2}, **removed)
    assert delta_fields(make_delta(**removed))["price_per_hour"] == 2.5


def test_without_memory_there_is_no_total() -> None:
    assert delta_fields(make_delta(gpu_memory_gb=None))["total_gpu_memory_gb"] is None
    assert not _matches({"min_total_gpu_memory_gb": 1}, gpu_memory_gb=None)


def test_only_matching_deltas_are_kept_in_order() -> None:
    deltas = [make_delta(offer_id=i, gpu_count=float(i)) for i in (1, 2, 4, 8)]
    kept = deltas_matching(deltas, conditions_from_params({"q": "gpu_count>=2 gpu_count<8"}))
    assert [d["offer_id"] for d in kept] == [2, 4]
