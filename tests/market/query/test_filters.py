"""The one filter evaluator on offer dicts (a sync delta here): hand-written, hand-checked.

Queries run the same masks over the stored offers' index (tests/market/test_api_offers.py);
these cases pin the rules on dicts, the way WebSocket subscriptions and alerts use them."""

from __future__ import annotations

from typing import Any

import pytest

from common.errors import InvalidFilter
from market.fields import DELTA_FIELDS
from market.query.filters import OfferFilter, filter_compile
from market.query.index import index_build

H100_X2 = {
    "kind": "changed", "offer_id": 7, "provider": "vast", "instance_type": "2x-H100_SXM",
    "region": "Texas, US, NA", "spot": False, "gpu_name": "H100-SXM", "gpu_raw_name": "H100",
    "gpu_count": 2, "old_price_per_hour": 4.2, "new_price_per_hour": 3.6, "price_per_hour": 3.6,
    "price_per_gpu_hour": 1.8, "gpu_vendor": "nvidia", "gpu_kind": "gpu", "gpu_memory_gb": 80.0,
    "total_gpu_memory_gb": 160.0, "vcpus": 64, "memory_gb": None, "disk_gb": None,
    "country": "US", "continent": "NA", "gpu_fraction": 1.0, "fractional": False,
    "available_count": 3,
}
# A fractional GPU: half of one A100 (a vGPU), which filters leave out unless let in.
HALF_A100 = {"gpu_name": "A100-80GB", "gpu_raw_name": "A100", "gpu_count": 1,
             "gpu_fraction": 0.5, "fractional": True, "gpu_memory_gb": 40.0}


def make_delta(**overrides: Any) -> dict[str, Any]:
    return {**H100_X2, **overrides}


def _matches(params: dict[str, Any], **overrides: Any) -> bool:
    return filter_compile(params).matches(make_delta(**overrides))


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
    ({"min_available": 3}, True),
    ({"q": "availability>3"}, False),
    ({"fractional": True}, True),  # lets fractional GPUs in beside whole ones
    ({"fractional": False}, True),
    ({"q": "gpu_fraction<1"}, False),
])
def test_condition_table(params: dict[str, Any], expected: bool) -> None:
    assert _matches(params) is expected


@pytest.mark.parametrize(("params", "expected"), [
    ({}, False),  # left out by default
    ({"gpu": "A100"}, False),
    ({"fractional": False}, False),
    ({"fractional": True}, True),
    ({"fractional": "true", "gpu": "A100"}, True),
    ({"q": "fractional=true gpu=A100"}, True),
    ({"q": "fraction<=0.5"}, True),  # testing gpu_fraction lets them in
    ({"q": "fractional!=true"}, False),
    ({"fractional": True, "min_gpu_memory_gb": 80}, False),  # the share's memory counts
])
def test_fractional_gpus_are_left_out_unless_let_in(params: dict[str, Any],
                                                    expected: bool) -> None:
    assert _matches(params, **HALF_A100) is expected


def test_an_unknown_availability_never_matches_min_available() -> None:
    assert not _matches({"min_available": 0}, available_count=None)


def test_the_raw_name_the_source_wrote_also_matches_gpu() -> None:
    assert _matches({"gpu": "RTX PRO 6000 WS"}, gpu_name=None, gpu_raw_name="RTX PRO 6000 WS")


def test_a_removed_offer_is_matched_on_its_last_price() -> None:
    removed = {"kind": "removed", "old_price_per_hour": 2.5, "new_price_per_hour": None,
               "price_per_hour": 2.5}
    assert _matches({"max_price": 3}, **removed)
    assert not _matches({"max_price": 2}, **removed)


def test_an_unknown_number_never_matches() -> None:
    assert not _matches({"min_total_gpu_memory_gb": 1}, total_gpu_memory_gb=None)
    lacking = {k: v for k, v in make_delta().items() if k != "vcpus"}
    assert not filter_compile({"q": "vcpus>=1"}).matches(lacking)
    assert not filter_compile({"q": "vcpus<1"}).matches(lacking)


def test_only_matching_offers_are_kept_in_order() -> None:
    deltas = [make_delta(offer_id=i, gpu_count=i) for i in (1, 2, 4, 8)]
    kept = filter_compile({"q": "gpu_count>=2 gpu_count<8"}).select(deltas)
    assert [d["offer_id"] for d in kept] == [2, 4]


def test_an_empty_filter_keeps_everything() -> None:
    deltas = [make_delta(offer_id=i) for i in range(3)]
    assert OfferFilter().select(deltas) == deltas and filter_compile({}).matches({})
    assert not OfferFilter().matches(make_delta(**HALF_A100))  # whole GPUs only by default


def test_one_batch_many_filters_gives_the_same_answers() -> None:
    deltas = [make_delta(offer_id=1), make_delta(offer_id=2, gpu_name="A100-80GB",
                                                 gpu_raw_name="A100"),
              make_delta(offer_id=3, provider="aws", spot=True)]
    filters = [filter_compile(p) for p in ({"gpu": "A100"}, {"spot": True}, {"q": "price<4"})]
    index = index_build(deltas, fields=set().union(*(f.fields for f in filters)))
    for offer_filter in filters:
        by_mask = [deltas[i] for i, hit in enumerate(offer_filter.mask(index)) if hit]
        assert by_mask == offer_filter.select(deltas)


def test_the_filter_says_what_it_tests_and_which_gpus_are_unknown() -> None:
    offer_filter = filter_compile({"gpu": ["H100", "H1000"], "q": "price<3"})
    assert offer_filter.labels == ["gpu=H100,H1000", "price<3"]
    # fractional: every filter tests it (fractional GPUs are left out by default)
    assert offer_filter.fields == {"gpu_name", "gpu_raw_name", "price_per_hour", "fractional"}
    assert offer_filter.unknown_gpus == ["H1000"]


@pytest.mark.parametrize("params", [{"q": "price<<3"}, {"cheap": 1}, {"max_price": "x"}])
def test_bad_filters_are_refused_by_name(params: dict[str, Any]) -> None:
    with pytest.raises(InvalidFilter):
        filter_compile(params)


def test_a_delta_carries_every_field_a_filter_can_test() -> None:
    from market.fields import FILTER_FIELDS

    assert set(FILTER_FIELDS) - {"stale"} <= set(DELTA_FIELDS) <= set(make_delta())
