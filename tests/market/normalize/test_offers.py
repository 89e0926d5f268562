"""Normalization: canonical GPUs, locations, per-GPU prices, zones collapsed, unknowns kept."""

from __future__ import annotations

import pytest

from market.adapters.base import RawOffer
from market.normalize.offers import offers_normalized


def _raw(**overrides) -> RawOffer:
    values = {"instance_type": "gpu_8x_h100_sxm5", "region": "us-east-1", "gpu_raw_name": "H100",
              "gpu_count": 8.0, "price_usd_per_hour": 23.92, "spot": False, "source": "test",
              "gpu_memory_gb": 80.0}
    return RawOffer(**{**values, **overrides})


def test_zones_collapse_to_the_cheapest_and_are_kept() -> None:
    batch = offers_normalized(provider="runpod", raw_offers=[
        _raw(zone="US-TX-3", price_usd_per_hour=3.0), _raw(zone="US-GA-1", price_usd_per_hour=2.5),
        _raw(zone="US-TX-3", price_usd_per_hour=2.5)])
    (offer,) = batch.offers.values()
    assert offer.price_per_hour == 2.5
    assert offer.zones == ("US-GA-1", "US-TX-3")


def test_spot_and_on_demand_stay_apart() -> None:
    batch = offers_normalized(provider="aws", raw_offers=[_raw(), _raw(spot=True,
                                                                       price_usd_per_hour=9.0)])
    assert sorted(k[2] for k in batch.offers) == [False, True]


def test_values_are_normalized() -> None:
    (offer,) = offers_normalized(provider="lambda", raw_offers=[_raw()]).offers.values()
    assert offer.gpu_name.startswith("H100") and offer.gpu_vendor == "nvidia"
    assert offer.gpu_kind == "gpu"
    assert offer.price_per_gpu_hour == pytest.approx(23.92 / 8)
    assert (offer.country, offer.continent) == ("US", "NA")
    assert offer.gpu_raw_name == "H100"


def test_unknown_gpu_keeps_its_offer_and_is_counted() -> None:
    batch = offers_normalized(provider="x", raw_offers=[
        _raw(gpu_raw_name="Mystery Accelerator 9", instance_type="a"),
        _raw(gpu_raw_name="Mystery Accelerator 9", instance_type="b")])
    assert batch.unknown_gpus == {"Mystery Accelerator 9": 2}
    assert all(o.gpu_name is None and o.gpu_raw_name == "Mystery Accelerator 9"
               for o in batch.offers.values())


def test_unknown_region_stays_null() -> None:
    (offer,) = offers_normalized(provider="hyperbolic",
                                 raw_offers=[_raw(region="default")]).offers.values()
    assert (offer.country, offer.continent) == (None, None)


@pytest.mark.parametrize(("field", "value"), [("price_usd_per_hour", 0.0),
                                               ("price_usd_per_hour", -1.0), ("gpu_count", 0.0)])
def test_raw_offer_refuses_impossible_values(field: str, value: float) -> None:
    with pytest.raises(ValueError):
        _raw(**{field: value})
