"""Vast.ai's bundle search, replayed from recorded offers through a local server."""

from __future__ import annotations

import pytest

from market.adapters.base import ProviderError
from market.adapters.vastai_api import VastApi
from tests.market.adapters.samples import fetched, offer_rows, sample
from tests.support.payloads import Reply, serve_payloads

# The captured CLI result is the bare offers list; the endpoint wraps it in {"offers": [...]}.
CAPTURED = {"offers": sample("vastai/search-offers_raw_captured.json")}
SYNTHETIC = sample("vastai/offer_gpuhunt-0.1.34_synthetic.json")
ROUTE = "POST /api/v0/bundles/"
FIELDS = ("instance_type", "region", "gpu_raw_name", "gpu_count", "gpu_memory_gb", "gpu_vendor",
          "vcpus", "memory_gb", "disk_gb", "price_usd_per_hour", "spot")


def _adapter(url: str, key: str | None = None) -> VastApi:
    return VastApi(api_key=key, base_url=url + "/api/v0")


@pytest.mark.parametrize(("body", "expected"), [
    # 0.246667 dph_base + 1607.875 GB x 0.0013333 $/GB-month / 720 h = 0.249644;
    # the interruptible twin: min_bid 0.2 + the same disk = 0.202978 (gpuhunt: 0.24964 /
    # 0.20298). 24564 MiB -> 23.99 GB; host 64393 MiB x 24/96 cores -> 15.72 GB.
    (CAPTURED, [
        ("11684738", "Guangxi, CN", "RTX 4090", 1, 23.99, "nvidia", 24.0, 15.72, 1607.875,
         0.202978, True),
        ("11684738", "Guangxi, CN", "RTX 4090", 1, 23.99, "nvidia", 24.0, 15.72, 1607.875,
         0.249644, False),
    ]),
    # 0.2 + 100 GB x 0.1 / 720 = 0.213889; no min_bid -> no twin; 7859 MiB x 4/32 -> 0.96 GB.
    (SYNTHETIC, [
        ("1", "Bulgaria, BG", "RTX 3090", 1, 24.0, None, 4.0, 0.96, 100.0, 0.213889, False),
    ]),
])
def test_recorded_offers_parse_to_hand_checked_values(body: dict, expected: list) -> None:
    with serve_payloads({ROUTE: body}) as server:
        result = fetched(_adapter(server.url))
    assert offer_rows(result, *FIELDS) == expected


def test_search_is_keyless_and_asks_for_rentable_unrented_bundles() -> None:
    with serve_payloads({ROUTE: CAPTURED}) as server:
        fetched(_adapter(server.url))
    (request,) = server.seen
    assert "authorization" not in request.headers
    assert request.json()["rentable"] == {"eq": True} and request.json()["rented"] == {"eq": False}


def test_a_saved_key_is_sent_as_bearer() -> None:
    with serve_payloads({ROUTE: CAPTURED}) as server:
        fetched(_adapter(server.url, key="vast_user_key_0001"))
    assert server.seen[0].headers["authorization"] == "Bearer vast_user_key_0001"


def test_bundles_without_gpus_or_price_are_skipped() -> None:
    offer = CAPTURED["offers"][0]
    body = {"offers": [offer, {**offer, "num_gpus": 0}, {**offer, "dph_base": None}]}
    with serve_payloads({ROUTE: body}) as server:
        result = fetched(_adapter(server.url))
    assert len(result.offers) == 2 and result.skipped == {"no GPU": 1, "no price": 1}


@pytest.mark.parametrize(("reply", "error"), [
    (Reply({"success": False, "error": "server"}, 500), ProviderError),
    (Reply({"success": False, "msg": "too many requests"}, 429), ProviderError),
    (Reply({"success": False, "error": "invalid_args"}), ProviderError),
    (Reply("not json"), ProviderError),
])
def test_failures_raise(reply: Reply, error: type[Exception]) -> None:
    with serve_payloads({ROUTE: reply}) as server, pytest.raises(error):
        fetched(_adapter(server.url))
