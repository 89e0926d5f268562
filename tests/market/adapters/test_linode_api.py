"""Akamai (Linode) plan types, replayed from a documentation example through a local server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from market.adapters.base import PayloadRejected, ProviderError
from market.adapters.linode_api import LinodeApi
from tests.market.adapters.samples import fetched, offer_rows
from tests.support.payloads import Reply, serve_payloads

PAYLOADS = Path(__file__).parent / "payloads"
TYPES = json.loads((PAYLOADS / "linode" / "types_gpu_akamai-docs.json").read_text())
ROUTE = "GET /v4/linode/types"
FIELDS = ("instance_type", "region", "gpu_raw_name", "gpu_count", "vcpus", "memory_gb",
          "disk_gb", "price_usd_per_hour")


def _adapter(url: str) -> LinodeApi:
    return LinodeApi(base_url=url + "/v4")


def test_a_gpu_type_is_an_offer_at_its_hourly_price() -> None:
    with serve_payloads({ROUTE: TYPES}) as server:
        result = fetched(_adapter(server.url))
    # memory 32768 MB and disk 655360 MB -> 32 and 640 GB; 1.5 USD per hour.
    assert offer_rows(result, *FIELDS) == [
        ("g1-gpu-rtx6000-1", "", "RTX6000", 1, 8, 32.0, 640.0, 1.5),
    ]
    assert [s.path for s in server.seen] == ["/v4/linode/types?page=1"]


def test_pages_are_followed_and_regional_prices_are_offers_of_their_region() -> None:
    gpu = TYPES["data"][0]
    # The same documented type on page 2, its base price carried as a regional price too.
    regional = {**gpu, "price": {"hourly": 0, "monthly": 0},
                "region_prices": [{"id": "us-east", "hourly": 1.5, "monthly": 1000.0}]}
    routes = {"GET /v4/linode/types?page=1": {**TYPES, "pages": 2},
              "GET /v4/linode/types?page=2": {**TYPES, "data": [regional], "page": 2,
                                              "pages": 2}}
    with serve_payloads(routes) as server:
        result = fetched(_adapter(server.url))
    assert sorted((o.region, o.price_usd_per_hour) for o in result.offers) == [
        ("", 1.5), ("us-east", 1.5)]
    assert len(server.seen) == 2


@pytest.mark.parametrize(("reply", "error"), [
    (Reply({"errors": [{"reason": "down"}]}, 500), ProviderError),
    (Reply({"data": [{k: v for k, v in TYPES["data"][0].items() if k != "price"}]}),
     PayloadRejected),
    (Reply({"types": []}), PayloadRejected),
])
def test_failures_raise(reply: Reply, error: type[Exception]) -> None:
    with serve_payloads({ROUTE: reply}) as server, pytest.raises(error):
        fetched(_adapter(server.url))
