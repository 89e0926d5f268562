"""Vultr's plans and bare-metal plans, replayed from the recorded payloads."""

from __future__ import annotations

import pytest

from market.adapters.base import ProviderError
from market.adapters.vultr_api import VultrApi
from tests.market.adapters.samples import fetched, offer_rows, sample
from tests.support.payloads import Reply, serve_payloads

VCG = sample("vultr/plans_vcg_gpuhunt-0.1.34.json")
MIXED = sample("vultr/plans_mixed_gpuhunt-0.1.34.json")
METAL = sample("vultr/plans-metal_gpuhunt-0.1.34.json")
PLANS, PLANS_METAL = "GET /v2/plans", "GET /v2/plans-metal"
FIELDS = ("instance_type", "region", "gpu_raw_name", "gpu_count", "gpu_memory_gb", "vcpus",
          "memory_gb", "disk_gb", "price_usd_per_hour", "spot")


def _adapter(url: str, key: str | None = None) -> VultrApi:
    return VultrApi(api_key=key, base_url=url + "/v2")


def test_cloud_gpu_and_bare_metal_plans_give_hand_checked_offers() -> None:
    routes = {PLANS: {"plans": VCG["plans"] + MIXED["plans"]}, PLANS_METAL: METAL}
    with serve_payloads(routes) as server:
        result = fetched(_adapter(server.url))
    # ram MiB / 1024; disk = disk x disk_count; A100 slices (4, 40 GB) are one GPU;
    # bare metal: count and model from the plan id, preemptible price as the spot twin.
    assert offer_rows(result, *FIELDS) == [
        ("vbm-112c-2048gb-8-h100-gpu", "sea", "H100", 8, None, 224, 2048.0, 1920, 18.4, True),
        ("vbm-112c-2048gb-8-h100-gpu", "sea", "H100", 8, None, 224, 2048.0, 1920, 23.92, False),
        ("vbm-256c-2048gb-8-mi300x-gpu", "ord", "MI300X", 8, None, 256, 2267.5, 28608, 14.72,
         True),
        ("vbm-256c-2048gb-8-mi300x-gpu", "ord", "MI300X", 8, None, 256, 2267.5, 28608, 17.52,
         False),
        ("vcg-a100-12c-120g-80vram", "ewr", "NVIDIA_A100", 1, 80, 12, 120.0, 1400, 2.397, False),
        ("vcg-a100-1c-6g-4vram", "ewr", "NVIDIA_A100", 1, 4, 1, 6.0, 70, 0.123, False),
        ("vcg-a100-6c-60g-40vram", "ewr", "NVIDIA_A100", 1, 40, 12, 60.0, 1400, 1.397, False),
        ("vcg-a40-24c-120g-48vram", "blr", "a40", 1, 48, 24, 120.0, 1400, 1.712, False),
    ]
    # vc2 is CPU only; the MI325X plan (1536 GB = 6 x 256 GB) lists no location.
    assert result.skipped == {"CPU only": 1, "no location": 1}
    assert [s.path for s in server.seen] == ["/v2/plans?type=all&per_page=500",
                                             "/v2/plans-metal?per_page=500"]
    assert all("authorization" not in s.headers for s in server.seen)


def test_cursor_pages_are_followed() -> None:
    first = {"plans": VCG["plans"][:1], "meta": {"links": {"next": "page2cursor"}}}
    second = {"plans": VCG["plans"][1:], "meta": {"links": {"next": ""}}}
    routes = {"GET /v2/plans?type=all&per_page=500": first,
              "GET /v2/plans?type=all&per_page=500&cursor=page2cursor": second,
              PLANS_METAL: {"plans_metal": []}}
    with serve_payloads(routes) as server:
        result = fetched(_adapter(server.url, key="vultr_key_000001"))
    assert len(result.offers) == 3
    assert server.seen[0].headers["authorization"] == "Bearer vultr_key_000001"


def test_vram_that_is_no_whole_number_of_gpus_is_skipped() -> None:
    odd = {**VCG["plans"][1], "id": "vcg-a100-odd", "gpu_vram_gb": 120}
    with serve_payloads({PLANS: {"plans": [odd]}, PLANS_METAL: {"plans_metal": []}}) as server:
        result = fetched(_adapter(server.url))
    assert result.offers == [] and result.skipped == {"GPU count unknown": 1}


@pytest.mark.parametrize(("routes", "error"), [
    ({PLANS: Reply({"error": "boom", "status": 500}, 500), PLANS_METAL: METAL},
     ProviderError),
    ({PLANS: VCG, PLANS_METAL: Reply({"error": "", "status": 503}, 503)}, ProviderError),
    ({PLANS: {"error": "odd", "status": 400}, PLANS_METAL: METAL}, ProviderError),
    ({PLANS: VCG, PLANS_METAL: Reply("<html>")}, ProviderError),
])
def test_failures_raise(routes: dict, error: type[Exception]) -> None:
    with serve_payloads(routes) as server, pytest.raises(error):
        fetched(_adapter(server.url))
