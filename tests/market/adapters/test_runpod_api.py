"""RunPod's GraphQL gpuTypes, replayed from the recorded documentation examples."""

from __future__ import annotations

import pytest

from market.adapters.base import ProviderError
from market.adapters.runpod_api import RunpodApi
from tests.market.adapters.samples import fetched, sample
from tests.support.payloads import Reply, serve_payloads

# The samples are SDK outputs: one gpuTypes element, and a gpuTypes list without prices.
DETAIL = sample("runpod/gpuType_detail_runpod-docs.json")
LISTED = sample("runpod/gpuTypes_list_runpod-docs.json")
ROUTE = "POST /graphql"


def _graphql(*gpu_types: dict) -> dict:
    return {"data": {"gpuTypes": list(gpu_types)}}


def _adapter(url: str, key: str | None = None) -> RunpodApi:
    return RunpodApi(api_key=key, base_url=url)


def _by_key(result) -> dict[tuple[str, bool, float], float]:
    return {(o.instance_type.rsplit(" ", 1)[1], o.spot, o.gpu_count): o.price_usd_per_hour
            for o in result.offers}


def test_detail_gives_a_pod_per_cloud_price_kind_and_gpu_count() -> None:
    with serve_payloads({ROUTE: _graphql(DETAIL)}) as server:
        result = fetched(_adapter(server.url))
    prices = _by_key(result)
    # securePrice 1.89, communityPrice 1.59, communitySpotPrice 0.89 per GPU-hour,
    # secureSpotPrice null; maxGpuCount 8 -> 3 price kinds x 8 counts.
    assert len(result.offers) == 24
    assert prices[("(secure)", False, 1)] == 1.89
    assert prices[("(secure)", False, 8)] == 15.12
    assert prices[("(community)", False, 2)] == 3.18
    assert prices[("(community)", True, 4)] == 3.56
    assert ("(secure)", True, 1) not in prices
    offer = result.offers[0]
    assert (offer.instance_type, offer.region, offer.gpu_raw_name, offer.gpu_memory_gb,
            offer.gpu_vendor, offer.gpu_detail) == (
        "1x NVIDIA A100 80GB PCIe (secure)", "", "A100 80GB", 80, "nvidia",
        "NVIDIA A100 80GB PCIe")
    assert offer.vcpus is None and offer.memory_gb is None and offer.disk_gb is None


def test_the_query_is_keyless_and_asks_for_the_price_fields() -> None:
    with serve_payloads({ROUTE: _graphql(DETAIL)}) as server:
        fetched(_adapter(server.url))
    (request,) = server.seen
    assert "authorization" not in request.headers and "api_key" not in request.path
    query = request.json()["query"]
    assert all(f in query for f in ("securePrice", "communityPrice", "communitySpotPrice"))


def test_a_saved_key_goes_in_a_header_not_the_url() -> None:
    with serve_payloads({ROUTE: _graphql(DETAIL)}) as server:
        fetched(_adapter(server.url, key="runpod_user_key_01"))
    assert server.seen[0].headers["authorization"] == "Bearer runpod_user_key_01"
    assert "runpod_user_key_01" not in server.seen[0].path


def test_types_without_prices_are_skipped() -> None:
    with serve_payloads({ROUTE: _graphql(*LISTED, {"id": "unknown"})}) as server:
        result = fetched(_adapter(server.url))
    assert result.offers == [] and result.skipped == {"no price": 2, "not a whole GPU": 1}


@pytest.mark.parametrize(("reply", "error"), [
    (Reply({"errors": [{"message": "Something went wrong"}], "data": None}), ProviderError),
    (Reply({"errors": [{"message": "rate limited"}], "data": {"gpuTypes": []}}), ProviderError),
    (Reply({"data": {}}), ProviderError),
    (Reply("[]"), ProviderError),
    (Reply({"errors": [{"message": "boom"}]}, 500), ProviderError),
])
def test_failures_raise(reply: Reply, error: type[Exception]) -> None:
    with serve_payloads({ROUTE: reply}) as server, pytest.raises(error):
        fetched(_adapter(server.url))
