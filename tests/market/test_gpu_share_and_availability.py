"""Fractional GPUs and availability, from real data: Azure's catalog (NVv4: shares of an AMD
MI25), Vultr's recorded plans (slices of an A100 80GB), and the free counts of JarvisLabs,
Hot Aisle and Vast payloads. Expected values are computed here from the source rows and the
providers' own documentation, apart from the adapters.

Queries leave fractional GPUs out unless ``fractional=true`` (a parameter, or in ``q=``) or
a ``gpu_fraction`` test lets them in.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.test import Client

from market.adapters.catalog import CatalogAdapter
from market.adapters.hotaisle_api import HotAisleApi
from market.adapters.jarvislabs_api import JarvisLabsApi
from market.adapters.vastai_api import VastApi
from market.adapters.vultr_api import VultrApi
from market.services.sync import provider_sync
from tests.conftest import SKYPILOT_DIR
from tests.market.adapters.samples import fetched, sample
from tests.support.payloads import serve_payloads

AZURE = SKYPILOT_DIR / "azure" / "vms.csv"
# learn.microsoft.com/azure/virtual-machines/nvv4-series: "GPU" and "GPU memory: GiB" columns.
NVV4 = {"Standard_NV4as_v4": (1 / 8, 2), "Standard_NV8as_v4": (1 / 4, 4),
        "Standard_NV16as_v4": (1 / 2, 8), "Standard_NV32as_v4": (1, 16)}
VULTR = sample("vultr/plans_vcg_gpuhunt-0.1.34.json")
A100_GB = 80  # Vultr slices the A100 80GB ("1/20 of an A100" is its 4 GB plan)
JARVIS = sample("jarvislabs/server_meta_gpuhunt-0.1.34.json")
HOTAISLE_BM = sample("hotaisle/bare_metal_available_gpuhunt-0.1.34.json")
VAST = {"offers": sample("vastai/search-offers_raw_captured.json")}
VULTR_ROUTES = {"GET /v2/plans": VULTR, "GET /v2/plans-metal": {"plans_metal": []}}


def _azure_rows() -> list[dict[str, str]]:
    with open(AZURE, encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["InstanceType"] in NVV4]


# -- the adapters read the share and the counts the sources give ----------------------------

def test_azure_nvv4_sizes_are_the_documented_shares_of_one_mi25() -> None:
    rows = _azure_rows()
    assert {r["AcceleratorCount"] for r in rows} == {"1"}  # the catalog says "1 GPU" for all
    offers = fetched(CatalogAdapter("azure", str(AZURE))).offers
    got = {(o.instance_type, o.region, o.spot): (o.gpu_fraction, o.gpu_memory_gb,
                                                 o.price_usd_per_hour)
           for o in offers if o.instance_type in NVV4}
    # A share's memory is the documented one; the catalog gives none for the whole GPU (the
    # datasheet's 16 GB comes at normalization, below).
    shares = {t: (f, m if f < 1 else None) for t, (f, m) in NVV4.items()}
    expected = {(r["InstanceType"], r["Region"], spot): (*shares[r["InstanceType"]], float(price))
                for r in rows for spot, price in ((False, r["Price"]), (True, r["SpotPrice"]))
                if price}
    assert got == expected and len(expected) >= 8


def test_vultr_plans_under_one_a100_are_slices_of_it() -> None:
    with serve_payloads(VULTR_ROUTES) as server:
        offers = fetched(VultrApi(base_url=server.url + "/v2")).offers
    expected = {p["id"]: min(p["gpu_vram_gb"] / A100_GB, 1) for p in VULTR["plans"]}
    assert {o.instance_type: o.gpu_fraction for o in offers} == expected
    assert expected == {"vcg-a100-1c-6g-4vram": 0.05, "vcg-a100-6c-60g-40vram": 0.5,
                        "vcg-a100-12c-120g-80vram": 1}


def test_jarvislabs_free_gpus_make_free_over_n_instances_of_n_gpus() -> None:
    with serve_payloads({"GET /misc/server_meta": JARVIS}) as server:
        offers = fetched(JarvisLabsApi(api_key="jl_key", base_url=server.url)).offers
    expected = {}
    for row in JARVIS["server_meta"]:
        most = int(row.get("num_gpus") or 1)
        for spot, free in ((False, row["effective_num_free_devices"]),
                           (True, row["spot_num_free_devices"])):
            if (row["spot_price"] if spot else row["price_per_hour"]) and row.get("region"):
                for n in range(1, min(free, most) + 1):
                    kind = row.get("workload_type") or "vm"
                    expected[(f"{row['gpu_type']}-{n}x-{kind}", row["region"], spot)] = free // n
    assert {(o.instance_type, o.region, o.spot): o.available_count for o in offers} == expected
    assert expected[("H100-1x-vm", "europe-01", False)] == 25


def test_hot_aisle_bare_metal_quantity_and_vast_free_bundles_are_counted() -> None:
    with serve_payloads({"GET /api/teams/acme/virtual_machines/available/": [],
                         "GET /api/teams/acme/bare_metal/available/": HOTAISLE_BM}) as server:
        metal = fetched(HotAisleApi(api_key="acme:tok", base_url=server.url + "/api")).offers
    assert [o.available_count for o in metal] == [item["Quantity"] for item in HOTAISLE_BM]
    with serve_payloads({"POST /api/v0/bundles/": VAST}) as server:
        vast = fetched(VastApi(base_url=server.url + "/api/v0")).offers
    bundle = VAST["offers"][0]
    assert bundle["rentable"] and not bundle["rented"] and bundle["gpu_frac"] == 0.25
    # gpu_frac is the bundle's share of the host's GPUs: its one RTX 4090 is whole.
    assert {(o.available_count, o.gpu_fraction, o.gpu_count) for o in vast} == {(1, 1, 1)}


# -- queries: whole GPUs by default, fractional ones when let in ---------------------------

@pytest.fixture
def synced(db: Any) -> Iterator[None]:
    with serve_payloads(VULTR_ROUTES) as vultr, \
            serve_payloads({"GET /misc/server_meta": JARVIS}) as jarvis, httpx.Client() as client:
        for adapter in (CatalogAdapter("azure", str(AZURE)),
                        VultrApi(base_url=vultr.url + "/v2"),
                        JarvisLabsApi(api_key="jl_key", base_url=jarvis.url)):
            assert provider_sync(adapter=adapter, client=client).status == "ok"
    yield


def _items(**params: Any) -> list[dict[str, Any]]:
    body = Client().get("/api/v2/providers/", {"per_page": 500, **params}).json()
    assert body["total"] == len(body["items"])
    return body["items"]


def _types(items: list[dict[str, Any]]) -> set[str]:
    return {o["instance_type"] for o in items}


@pytest.mark.parametrize("params", [
    {"fractional": "true"},
    {"q": "fractional=true"},
])
def test_fractional_gpus_are_left_out_unless_let_in(synced: None,
                                                    params: dict[str, Any]) -> None:
    mi25 = {"provider": "azure", "gpu": "MI25"}
    assert _types(_items(**mi25)) == {"Standard_NV32as_v4"}
    items = _items(**mi25, **params)
    assert _types(items) == set(NVV4)
    rows = {(r["InstanceType"], r["Region"]): r for r in _azure_rows()}
    for offer in items:  # each value as the row and the documentation give it
        row, (share, memory) = rows[(offer["instance_type"], offer["region"])], \
            NVV4[offer["instance_type"]]
        assert offer["price_per_hour"] == float(row["SpotPrice" if offer["spot"] else "Price"])
        assert (offer["gpu_fraction"], offer["gpu_memory_gb"]) == (share, memory)
        assert offer["fractional"] is (share < 1) and offer["gpu_count"] == 1
    vultr = {"provider": "vultr-api"}
    assert _types(_items(**vultr)) == {"vcg-a100-12c-120g-80vram"}
    assert _types(_items(**vultr, **params)) == {p["id"] for p in VULTR["plans"]}


def test_a_gpu_fraction_test_picks_fractional_gpus_alone(synced: None) -> None:
    items = _items(q="gpu_fraction<1")
    assert {(o["provider"], o["instance_type"]) for o in items} == {
        ("vultr-api", "vcg-a100-1c-6g-4vram"), ("vultr-api", "vcg-a100-6c-60g-40vram"),
        *(("azure", t) for t in NVV4 if NVV4[t][0] < 1)}
    slice_ = next(o for o in items if o["instance_type"] == "vcg-a100-1c-6g-4vram")
    assert (slice_["gpu_name"], slice_["gpu_memory_gb"], slice_["gpu_fraction"]) == (
        "A100-80GB", 4, 0.05)


def test_min_available_keeps_offers_with_that_many_free(synced: None) -> None:
    items = _items(min_available=2)
    assert items and all(o["available_count"] >= 2 for o in items)
    assert {o["provider"] for o in items} == {"jarvislabs-api"}  # the others do not say
    assert _items(q="provider=jarvislabs-api availability>=25") == _items(
        provider="jarvislabs-api", q="available>=25")
    assert _types(_items(q="availability>=25")) == {"H100-1x-vm"}


def test_an_empty_answer_says_when_fractional_gpus_would_match(synced: None) -> None:
    body = Client().get("/api/v2/providers/", {"provider": "vultr-api",
                                               "max_price": 0.2}).json()
    cheapest_slice = min(p["hourly_cost"] for p in VULTR["plans"])  # the 4 GB slice
    assert body["total"] == 0 and cheapest_slice < 0.2
    assert ("1 offers of fractional GPUs (a share of one GPU: MIG slice, vGPU) match; add "
            "fractional=true to see them") in body["warnings"]
    # The relaxations count whole GPUs only, as the query does.
    whole_under = Client().get("/api/v2/providers/", {"max_price": 0.2}).json()["total"]
    assert [(r["param"], r["offers"]) for r in body["relaxations"]] == [
        ("max_price", 1), ("provider", whole_under)]
