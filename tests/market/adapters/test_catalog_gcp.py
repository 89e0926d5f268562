"""GCP whole offers from the two halves of its catalog (partial/gcp: vms.csv + hosts.csv).

The expected prices are computed here, independently, from the two files: for each host row
of a machine type, the accelerator row of the GPUs it carries in the same zone (pairs from
the catalog README), on-demand and spot apart; the store keeps one offer per (machine type,
region, spot) at the lowest price among its zones.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict

import httpx
import pytest

from market.adapters.catalog import CatalogAdapter
from market.models import Offer, Provider
from market.selectors import providers_config
from market.services.sync import provider_sync
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.django_db
GCP = SHARED_DATA / "catalogs" / "partial" / "gcp"
# From the catalog README: which accelerator (and how many) each machine type carries.
CARRIES = [(r"a2-(highgpu|megagpu)-(\d+)g", "A100"), (r"a2-ultragpu-(\d+)g", "A100-80GB"),
           (r"a3-(highgpu|edgegpu)-(\d+)g(-nolssd)?", "H100"), (r"a3-megagpu-(\d+)g", "H100-MEGA"),
           (r"a3-ultragpu-(\d+)g(-nolssd)?", "H200")]
L4_SIZES = {"24": 2, "48": 4, "96": 8}


def _carried(machine: str) -> tuple[str, int]:
    if machine.startswith("g2-standard-"):
        return "L4", L4_SIZES.get(machine.rsplit("-", 1)[1], 1)
    for pattern, name in CARRIES:
        if found := re.fullmatch(pattern, machine):
            return name, int(next(g for g in found.groups() if g and g.isdigit()))
    raise AssertionError(machine)


def _expected() -> dict[tuple[str, str, bool], tuple[str, float]]:
    with open(GCP / "vms.csv", encoding="utf-8") as handle:
        gpus = {(r["AcceleratorName"], int(float(r["AcceleratorCount"])), r["AvailabilityZone"]): r
                for r in csv.DictReader(handle) if not r["InstanceType"]}
    prices: dict[tuple[str, str, bool], list[float]] = defaultdict(list)
    names = {}
    with open(GCP / "hosts.csv", encoding="utf-8") as handle:
        for host in csv.DictReader(handle):
            name, count = _carried(host["InstanceType"])
            gpu = gpus.get((name, count, host["AvailabilityZone"]))
            if gpu is None:
                continue
            for spot, column in ((False, "Price"), (True, "SpotPrice")):
                if host[column] and gpu[column]:
                    key = (host["InstanceType"], host["Region"], spot)
                    prices[key].append(float(host[column]) + float(gpu[column]))
                    names[key] = name
    return {key: (names[key], min(values)) for key, values in prices.items()}


def _sync() -> None:
    with httpx.Client() as client:
        result = provider_sync(adapter=CatalogAdapter("gcp", str(GCP / "vms.csv")), client=client)
    assert result.status == "ok", result.error


@pytest.mark.parametrize("gpu", ["A100", "H100", "H200", "L4"])
def test_offer_prices_are_host_plus_accelerator_rows_of_the_same_zone(gpu: str) -> None:
    _sync()
    expected = {k: price for k, (name, price) in _expected().items() if name == gpu}
    stored = {(o.instance_type, o.region, o.spot): o.price_per_hour
              for o in Offer.objects.filter(provider="gcp", gpu_raw_name=gpu)}
    assert expected and stored.keys() == expected.keys()
    assert all(abs(stored[k] - expected[k]) < 1e-6 for k in expected)


def test_the_readme_example_and_whole_offer_fields() -> None:
    _sync()
    offer = Offer.objects.get(provider="gcp", instance_type="a2-highgpu-1g",
                              region="us-central1", spot=False)
    # README: a2-highgpu-1g in us-central1-a is 0.73948 (host) + 2.93391 (A100 x1).
    assert offer.price_per_hour == pytest.approx(3.67339)
    assert (offer.gpu_count, offer.vcpus, offer.memory_gb) == (1, 12, 85)
    h200 = Offer.objects.filter(provider="gcp", instance_type="a3-ultragpu-8g").first()
    assert h200 is not None and h200.gpu_count == 8 and h200.gpu_name.startswith("H200")


def test_tpus_are_whole_slices_and_n1_gpus_are_left_out_and_said_so() -> None:
    _sync()
    tpus = Offer.objects.filter(provider="gcp", gpu_kind="tpu")
    assert tpus.exists() and set(tpus.values_list("gpu_count", flat=True)) == {1}
    assert not tpus.filter(price_per_hour=700.0).exists()  # upstream's placeholder
    v5p = tpus.get(instance_type="tpu-v5p-8", region="us-east5", spot=False)
    with open(GCP / "vms.csv", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle)
                   if r["AcceleratorName"] == "tpu-v5p-8" and r["Region"] == "us-east5")
    assert v5p.price_per_hour == pytest.approx(float(row["Price"]))
    assert not Offer.objects.filter(provider="gcp", gpu_raw_name__in=["T4", "V100", "P100",
                                                                     "P4"]).exists()
    assert not Offer.objects.filter(provider="gcp", gpu_raw_name="B200").exists()  # no a4 host
    gcp = next(p for p in providers_config()["providers"] if p["name"] == "gcp")
    assert any("n1 hosts (T4, V100, P100, P4) are left out" in n for n in gcp["notes"])
    assert any("B200" in n for n in Provider.objects.get(name="gcp").notes)
