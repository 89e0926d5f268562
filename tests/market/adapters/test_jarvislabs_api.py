"""JarvisLabs' server_meta, replayed from the recorded payload through a local server."""

from __future__ import annotations

import pytest

from market.adapters.base import ProviderError, ProviderUnavailable
from market.adapters.jarvislabs_api import JarvisLabsApi
from tests.market.adapters.samples import fetched, offer_rows, sample
from tests.support.payloads import Reply, serve_payloads

SAMPLE = sample("jarvislabs/server_meta_gpuhunt-0.1.34.json")
ROUTE = "GET /misc/server_meta"
KEY = "jl_test_key_000001"
FIELDS = ("instance_type", "region", "gpu_raw_name", "gpu_count", "gpu_memory_gb", "vcpus",
          "memory_gb", "price_usd_per_hour", "spot")


def _adapter(url: str, key: str | None = KEY) -> JarvisLabsApi:
    return JarvisLabsApi(api_key=key, base_url=url)


def test_rows_give_per_count_offers_up_to_the_free_devices() -> None:
    with serve_payloads({ROUTE: SAMPLE}) as server:
        result = fetched(_adapter(server.url))
    rows = offer_rows(result, *FIELDS)
    # 18 offers: L4 container and VM (3 free on demand, 2 spot, each), A100 (1 + 1),
    # RTX-PRO6000 Chennai (2 + 1), RTX PRO 6000 Noida (1, spot price null), the two H100 rows
    # (num_gpus absent: one GPU at most; the null workload row counted as a VM).
    assert len(rows) == 18
    assert rows[:3] == [
        ("A100-80GB-1x-vm", "india-noida-01", "A100-80GB", 1, 80.0, 28, 112, 0.89, True),
        ("A100-80GB-1x-vm", "india-noida-01", "A100-80GB", 1, 80.0, 28, 112, 1.49, False),
        ("H100-1x-vm", "europe-01", "H100", 1, 80.0, 16, 200, 2.99, False),
    ]
    assert ("L4-3x-container", "india-noida-01", "L4", 3, 24.0, 84, 372, 1.32, False) in rows
    assert ("L4-2x-vm", "india-noida-01", "L4", 2, 24.0, 56, 248, 0.58, True) in rows
    assert ("RTX-PRO6000-2x-vm", "india-chennai-01", "RTX-PRO6000", 2, 96.0, 56, 320, 3.78,
            False) in rows
    assert not [r for r in rows if r[2] == "RTX PRO 6000" and r[-1]]  # no spot price
    assert result.skipped == {"CPU only": 1}
    assert server.seen[0].headers["authorization"] == f"Bearer {KEY}"


def test_missing_key_is_no_key(monkeypatch) -> None:
    monkeypatch.delenv("JARVISLABS_API_KEY", raising=False)
    with serve_payloads({ROUTE: SAMPLE}) as server, pytest.raises(ProviderUnavailable) as caught:
        fetched(_adapter(server.url, key=None))
    assert caught.value.status == "no_key" and "JARVISLABS_API_KEY" in str(caught.value)


def test_nothing_free_is_skipped() -> None:
    row = {**SAMPLE["server_meta"][2], "effective_num_free_devices": 0, "num_free_devices": 0,
           "spot_num_free_devices": 0}
    with serve_payloads({ROUTE: {"server_meta": [row]}}) as server:
        result = fetched(_adapter(server.url))
    assert result.offers == [] and result.skipped == {"none free": 1}


@pytest.mark.parametrize(("reply", "error"), [
    (Reply({"detail": "Internal"}, 500), ProviderError),
    (Reply({"detail": "Not authenticated"}, 403), ProviderError),
    (Reply({"detail": "odd"}), ProviderError),
])
def test_failures_raise(reply: Reply, error: type[Exception]) -> None:
    with serve_payloads({ROUTE: reply}) as server, pytest.raises(error):
        fetched(_adapter(server.url))
