"""TensorDock's v0 host nodes, replayed from the recorded host specs through a local server."""

from __future__ import annotations

import pytest

from market.adapters.base import PayloadRejected, ProviderError
from market.adapters.tensordock_api import TensorDockApi
from tests.market.adapters.samples import fetched, offer_rows, sample
from tests.support.payloads import Reply, serve_payloads

SPECS = sample("tensordock/hostnode_specs_v0_gpuhunt-0.1.15.json")
# Only the specs object was recorded; the envelope is the documented v0 shape
# ({"hostnodes": {"<uuid>": {"location": {...}, "specs": {...}}}}), its id and place a label.
HOST = "host-1"
BODY = {"hostnodes": {HOST: {"location": {"country": "United States", "city": "Chicago"},
                             "specs": SPECS}}}
ROUTE = "GET /api/v0/client/deploy/hostnodes"
FIELDS = ("instance_type", "region", "zone", "gpu_raw_name", "gpu_count", "gpu_memory_gb",
          "vcpus", "memory_gb", "disk_gb", "price_usd_per_hour")


def _adapter(url: str) -> TensorDockApi:
    return TensorDockApi(base_url=url + "/api/v0")


def test_a_host_is_one_offer_per_gpu_model_priced_from_its_unit_prices() -> None:
    with serve_payloads({ROUTE: BODY}) as server:
        result = fetched(_adapter(server.url))
    # 256 vCPU x 0.003 + 1495 GB x 0.002 + 10252 GB x 0.00005 + 8 L40 x 1.05 = 12.6706
    assert offer_rows(result, *FIELDS) == [
        (f"{HOST}/l40-pcie-48gb", "United States", "Chicago", "l40-pcie-48gb", 8, 48, 256,
         1495, 10252, 12.6706),
    ]
    assert server.seen[0].path == "/api/v0/client/deploy/hostnodes"


def test_a_host_without_free_gpus_is_skipped() -> None:
    specs = {**SPECS, "gpu": {"l40-pcie-48gb": {**SPECS["gpu"]["l40-pcie-48gb"], "amount": 0}}}
    body = {"hostnodes": {HOST: {"location": {"country": "United States"}, "specs": specs}}}
    with serve_payloads({ROUTE: body}) as server:
        result = fetched(_adapter(server.url))
    assert result.offers == [] and result.skipped == {"no GPU free": 1}


@pytest.mark.parametrize(("reply", "error"), [
    (Reply({"detail": "down"}, 503), ProviderError),
    (Reply({"hostnodes": {HOST: {"location": {}, "specs": {**SPECS, "ram": {"amount": 1}}}}}),
     PayloadRejected),
    (Reply({"hosts": {}}), PayloadRejected),
])
def test_failures_raise(reply: Reply, error: type[Exception]) -> None:
    with serve_payloads({ROUTE: reply}) as server, pytest.raises(error):
        fetched(_adapter(server.url))
