"""Hot Aisle's available VMs and bare metal, replayed from the recorded payloads."""

from __future__ import annotations

import pytest

from market.adapters.base import ProviderError, ProviderUnavailable
from market.adapters.hotaisle_api import HotAisleApi
from tests.market.adapters.samples import fetched, offer_rows, sample
from tests.support.payloads import Reply, serve_payloads

VM = sample("hotaisle/virtual_machines_available_gpuhunt-0.1.34.json")
BM = sample("hotaisle/bare_metal_available_gpuhunt-0.1.34.json")
VM_ROUTE = "GET /api/teams/acme/virtual_machines/available/"
BM_ROUTE = "GET /api/teams/acme/bare_metal/available/"
FIELDS = ("instance_type", "region", "gpu_raw_name", "gpu_count", "gpu_vendor", "vcpus",
          "memory_gb", "disk_gb", "price_usd_per_hour", "spot")


def _adapter(url: str, key: str | None = "acme:hotaisle_token_01") -> HotAisleApi:
    return HotAisleApi(api_key=key, base_url=url + "/api")


def test_vm_and_bare_metal_give_hand_checked_offers_with_the_token_sent() -> None:
    with serve_payloads({VM_ROUTE: VM, BM_ROUTE: BM}) as server:
        result = fetched(_adapter(server.url))
    # cents -> USD; bytes -> GiB (257698037760 B = 240, 2199023255552 B = 2048); no location.
    assert offer_rows(result, *FIELDS) == [
        ("bm-8xmi300x-104c-2048g", "", "MI300X", 8, "amd", 104, 2048.0, 115334.98, 27.12, False),
        ("vm-1xmi300x-13c-240g", "", "MI300X", 1, None, 13, 240.0, 12288.0, 1.99, False),
    ]
    assert {s.headers["authorization"] for s in server.seen} == {"Token hotaisle_token_01"}


def test_nothing_available_is_null_and_team_comes_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("HOTAISLE_TEAM_HANDLE", "acme")
    with serve_payloads({VM_ROUTE: None, BM_ROUTE: None}) as server:
        result = fetched(_adapter(server.url, key="hotaisle_token_01"))
    assert result.offers == [] and len(server.seen) == 2


@pytest.mark.parametrize(("key", "team"), [(None, "acme"), ("hotaisle_token_01", None)])
def test_missing_token_or_team_is_no_key(monkeypatch, key: str | None, team: str | None) -> None:
    monkeypatch.delenv("HOTAISLE_API_KEY", raising=False)
    monkeypatch.delenv("HOTAISLE_TEAM_HANDLE", raising=False)
    if team:
        monkeypatch.setenv("HOTAISLE_TEAM_HANDLE", team)
    with serve_payloads({VM_ROUTE: VM, BM_ROUTE: BM}) as server, \
            pytest.raises(ProviderUnavailable) as caught:
        fetched(_adapter(server.url, key=key))
    assert caught.value.status == "no_key" and "HOTAISLE_TEAM_HANDLE" in str(caught.value)
    assert server.seen == []


@pytest.mark.parametrize(("routes", "error"), [
    ({VM_ROUTE: Reply({"detail": "boom"}, 500), BM_ROUTE: BM}, ProviderError),
    ({VM_ROUTE: VM, BM_ROUTE: Reply({"detail": "Invalid token."}, 401)}, ProviderError),
    ({VM_ROUTE: {"detail": "odd"}, BM_ROUTE: BM}, ProviderError),
])
def test_failures_raise(routes: dict, error: type[Exception]) -> None:
    with serve_payloads(routes) as server, pytest.raises(error):
        fetched(_adapter(server.url))
