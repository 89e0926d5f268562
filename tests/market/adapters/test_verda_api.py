"""Verda's instance types and availability, replayed from the recorded payloads."""

from __future__ import annotations

import pytest

from market.adapters.base import ProviderError, ProviderUnavailable
from market.adapters.verda_api import VerdaApi
from tests.market.adapters.samples import fetched, offer_rows, sample
from tests.support.payloads import Reply, serve_payloads

TYPES = sample("verda/instance-types_gpuhunt-0.1.34.json")
SPOT = sample("verda/instance-availability_spot_gpuhunt-0.1.34.json")
# No token answer and no on-demand availability were recorded: the token body is the OAuth2
# client-credentials shape, and the spot availability stands in for the on-demand one.
TOKEN = {"access_token": "verda-access-token", "token_type": "Bearer", "expires_in": 3600}
ROUTES = {
    "POST /v1/oauth2/token": TOKEN,
    "GET /v1/instance-types": TYPES,
    "GET /v1/instance-availability?is_spot=false": SPOT,
    "GET /v1/instance-availability?is_spot=true": SPOT,
}
FIELDS = ("instance_type", "region", "gpu_raw_name", "gpu_count", "gpu_memory_gb", "vcpus",
          "memory_gb", "disk_gb", "price_usd_per_hour", "spot", "gpu_detail")


def _adapter(url: str, key: str | None = "client-id:client-secret") -> VerdaApi:
    return VerdaApi(api_key=key, base_url=url + "/v1")


def test_available_types_give_offers_per_location_and_spot() -> None:
    with serve_payloads(ROUTES) as server:
        result = fetched(_adapter(server.url))
    # price strings per instance; 96 GB of GPU memory for 2 GPUs -> 48 each; "dynamic"
    # storage has no size (None). 1H100.80S.30V is available nowhere: no offer.
    assert offer_rows(result, *FIELDS) == [
        ("1V100.6V", "FIN-01", "Tesla V100", 1, 16.0, 6, 23, 225, 0.25, True,
         "1x Tesla V100 16GB"),
        ("1V100.6V", "FIN-01", "Tesla V100", 1, 16.0, 6, 23, 225, 0.89, False,
         "1x Tesla V100 16GB"),
        ("2A6000.20V", "FIN-01", "RTX A6000", 2, 48.0, 20, 120, None, 0.7, True,
         "2x RTX A6000 48GB"),
        ("2A6000.20V", "FIN-01", "RTX A6000", 2, 48.0, 20, 120, None, 1.98, False,
         "2x RTX A6000 48GB"),
    ]
    # Per pass, 18 available names are not in the types sample (1A100.22V, the RTX 6000 Ada
    # and 2-8x V100 types, 12 CPU types) and CPU.120V.480G is known but has no GPU.
    assert result.skipped == {"available type not in instance-types": 2 * 18, "CPU only": 2}


def test_client_credentials_are_exchanged_for_a_bearer_token() -> None:
    with serve_payloads(ROUTES) as server:
        fetched(_adapter(server.url))
    token_request, *others = server.seen
    assert token_request.json() == {"grant_type": "client_credentials",
                                    "client_id": "client-id", "client_secret": "client-secret"}
    assert {s.headers["authorization"] for s in others} == {"Bearer verda-access-token"}
    assert others[0].path == "/v1/instance-types?currency=usd"


def test_credentials_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("VERDA_CLIENT_ID", "env-id")
    monkeypatch.setenv("VERDA_CLIENT_SECRET", "env-secret")
    with serve_payloads(ROUTES) as server:
        fetched(_adapter(server.url, key=None))
    assert server.seen[0].json()["client_id"] == "env-id"


def test_missing_credentials_are_no_key(monkeypatch) -> None:
    monkeypatch.delenv("VERDA_CLIENT_ID", raising=False)
    monkeypatch.setenv("VERDA_CLIENT_SECRET", "only-the-secret")
    with serve_payloads(ROUTES) as server, pytest.raises(ProviderUnavailable) as caught:
        fetched(_adapter(server.url, key=None))
    assert caught.value.status == "no_key" and "VERDA_CLIENT_ID" in str(caught.value)
    assert server.seen == []


@pytest.mark.parametrize(("route", "reply", "error"), [
    ("POST /v1/oauth2/token", Reply({"code": "unauthorized_request"}, 401),
     ProviderError),
    ("POST /v1/oauth2/token", Reply({"token_type": "Bearer"}), ProviderError),
    ("GET /v1/instance-types", Reply({"code": "internal"}, 500), ProviderError),
    ("GET /v1/instance-types", Reply({"code": "odd"}), ProviderError),
    ("GET /v1/instance-availability?is_spot=true", Reply("oops"), ProviderError),
])
def test_failures_raise(route: str, reply: Reply, error: type[Exception]) -> None:
    with serve_payloads({**ROUTES, route: reply}) as server, pytest.raises(error):
        fetched(_adapter(server.url))
