"""Lambda Cloud's instance-types, replayed from the recorded payload through a local server."""

from __future__ import annotations

import pytest

from market.adapters.base import ProviderError, ProviderUnavailable
from market.adapters.lambda_api import LambdaApi
from tests.market.adapters.samples import fetched, offer_rows, sample
from tests.support.payloads import Reply, serve_payloads

SAMPLE = sample("lambda/instance-types_terraform-provider-lambdalabs_fixture.json")
ROUTE = "GET /api/v1/instance-types"
KEY = "secret_lambda_key_1234"


def _adapter(url: str, key: str | None = KEY) -> LambdaApi:
    return LambdaApi(api_key=key, base_url=url + "/api/v1")


def test_sample_gives_one_offer_per_capacity_region_with_the_key_sent() -> None:
    with serve_payloads({ROUTE: SAMPLE}) as server:
        result = fetched(_adapter(server.url))
    fields = ("instance_type", "region", "gpu_raw_name", "gpu_count", "gpu_memory_gb",
              "price_usd_per_hour", "vcpus", "memory_gb", "disk_gb", "spot")
    # 199 cents -> 1.99 USD per instance-hour; "1x NVIDIA A100 (80 GB)"; GiB as given.
    assert offer_rows(result, *fields) == [
        ("gpu_1x_a100", "us-west-1", "NVIDIA A100", 1, 80.0, 1.99, 30, 200, 1024, False),
    ]
    assert result.offers[0].gpu_detail == "NVIDIA A100 (80 GB)"
    assert result.offers[0].source.endswith("/api/v1/instance-types")
    assert server.seen[0].headers["authorization"] == f"Bearer {KEY}"


def test_base_url_and_key_come_from_the_environment(monkeypatch) -> None:
    with serve_payloads({ROUTE: SAMPLE}) as server:
        monkeypatch.setenv("GPUBROKER_API_URL_LAMBDA_API", server.url + "/api/v1/")
        monkeypatch.setenv("LAMBDA_API_KEY", "env_lambda_key_5678")
        result = fetched(LambdaApi())
    assert len(result.offers) == 1
    assert server.seen[0].headers["authorization"] == "Bearer env_lambda_key_5678"


def test_missing_key_is_no_key_and_nothing_is_asked(monkeypatch) -> None:
    monkeypatch.delenv("LAMBDA_API_KEY", raising=False)
    with serve_payloads({ROUTE: SAMPLE}) as server, \
            pytest.raises(ProviderUnavailable) as caught:
        fetched(_adapter(server.url, key=None))
    assert caught.value.status == "no_key" and "LAMBDA_API_KEY" in str(caught.value)
    assert server.seen == []


def test_sold_out_type_and_cpu_type_are_skipped_and_counted() -> None:
    body = {"data": {**SAMPLE["data"], "gpu_8x_h100_sxm5": {
        "instance_type": {"name": "gpu_8x_h100_sxm5", "description": "8x H100 (80 GB SXM5)",
                          "price_cents_per_hour": 2392, "specs": {"gpus": 8}},
        "regions_with_capacity_available": []},
        "cpu_4x_general": {"instance_type": {"name": "cpu_4x_general", "description": "CPU",
                                             "price_cents_per_hour": 10, "specs": {"gpus": 0}},
                           "regions_with_capacity_available": [{"name": "us-west-1"}]}}}
    with serve_payloads({ROUTE: body}) as server:
        result = fetched(_adapter(server.url))
    assert len(result.offers) == 1
    assert result.skipped == {"no region with capacity": 1, "no GPU in description": 1}


@pytest.mark.parametrize(("reply", "error"), [
    (Reply({"error": {"code": "server_error"}}, 500), ProviderError),
    (Reply({"error": {"code": "global/invalid-api-key", "message": "bad key"}}, 401),
     ProviderError),
    (Reply({"error": {"code": "global/unknown", "message": "odd"}}), ProviderError),
    (Reply("<html>maintenance</html>"), ProviderError),
    (Reply({"instance_types": []}), ProviderError),
])
def test_failures_raise(reply: Reply, error: type[Exception]) -> None:
    with serve_payloads({ROUTE: reply}) as server, pytest.raises(error):
        fetched(_adapter(server.url))
