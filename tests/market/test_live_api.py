"""`GET /api/v2/providers/live`: one user's live query, with that user's saved key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from market.models import Offer
from tests.market.adapters.samples import sample
from tests.support.cache import cache_clear_own
from tests.support.payloads import PayloadServer, Reply, serve_payloads

pytestmark = pytest.mark.django_db
URL = "/api/v2/providers/live"
AUTH = "/api/v2/auth"
PASSWORD = "correct horse battery staple 42"
LAMBDA = sample("lambda/instance-types_terraform-provider-lambdalabs_fixture.json")
VAST = {"offers": sample("vastai/search-offers_raw_captured.json")}
ADA_KEY = "ada_lambda_key_0001"


@pytest.fixture(autouse=True)
def _clean(monkeypatch) -> Iterator[None]:
    for name in ("LAMBDA_API_KEY", "VAST_API_KEY", "GPUBROKER_DISABLED_PROVIDERS"):
        monkeypatch.delenv(name, raising=False)
    cache_clear_own()  # rate-limit windows
    yield
    cache_clear_own()


@pytest.fixture
def upstream(monkeypatch) -> Iterator[PayloadServer]:
    routes = {"GET /api/v1/instance-types": LAMBDA, "POST /api/v0/bundles/": VAST}
    with serve_payloads(routes) as server:
        monkeypatch.setenv("GPUBROKER_API_URL_LAMBDA_API", server.url + "/api/v1")
        monkeypatch.setenv("GPUBROKER_API_URL_VAST_API", server.url + "/api/v0")
        yield server


def _user(email: str) -> dict[str, str]:
    client = Client()
    body = {"email": email, "password": PASSWORD}
    assert client.post(f"{AUTH}/register", body, content_type="application/json").status_code \
        == 202
    tokens = client.post(f"{AUTH}/login", body, content_type="application/json").json()
    return {"HTTP_AUTHORIZATION": f"Bearer {tokens['access_token']}"}


def _save_key(auth: dict[str, str], provider: str, key: str) -> None:
    response = Client().post(f"{AUTH}/provider-keys", {"provider": provider, "api_key": key,
                                                        "password": PASSWORD},
                             content_type="application/json", **auth)
    assert response.status_code == 201, response.content


def _live(auth: dict[str, str] | None = None, **params: Any) -> Any:
    return Client().get(URL, params, **(auth or {}))


def test_user_key_fetches_the_sample_live_and_nothing_is_stored(upstream) -> None:
    ada = _user("ada@example.com")
    _save_key(ada, "lambda-api", ADA_KEY)
    response = _live(ada, provider="lambda-api")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["provider"], body["key_source"], body["total"]) == ("lambda-api", "user", 1)
    (offer,) = body["items"]
    assert (offer["id"], offer["provider"], offer["instance_type"], offer["region"]) == (
        None, "lambda-api", "gpu_1x_a100", "us-west-1")
    assert (offer["gpu_name"], offer["gpu_count"], offer["gpu_memory_gb"],
            offer["price_per_hour"], offer["country"]) == ("A100-80GB", 1, 80, 1.99, "US")
    assert offer["source"].endswith("/api/v1/instance-types (live, user key)")
    assert [s.headers["authorization"] for s in upstream.seen] == [f"Bearer {ADA_KEY}"]
    assert not Offer.objects.exists()


def test_a_key_saved_under_the_company_name_serves_too(upstream) -> None:
    ada = _user("ada@example.com")
    _save_key(ada, "lambda", ADA_KEY)
    assert _live(ada, provider="lambda-api").json()["key_source"] == "user"
    assert upstream.seen[0].headers["authorization"] == f"Bearer {ADA_KEY}"


def test_user_without_key_gets_no_key_and_the_provider_is_not_asked(upstream) -> None:
    _save_key(_user("ada@example.com"), "lambda-api", ADA_KEY)
    response = _live(_user("eve@example.com"), provider="lambda-api")
    assert response.status_code == 409
    assert response.json()["code"] == "no_key" and "provider-keys" in response.json()["detail"]
    assert upstream.seen == []


def test_the_server_key_serves_a_user_without_one(upstream, monkeypatch) -> None:
    monkeypatch.setenv("LAMBDA_API_KEY", "server_lambda_key_9")
    body = _live(_user("eve@example.com"), provider="lambda-api").json()
    assert body["key_source"] == "server" and body["total"] == 1
    assert upstream.seen[0].headers["authorization"] == "Bearer server_lambda_key_9"


def test_filters_apply_to_the_live_offers(upstream) -> None:
    ada = _user("ada@example.com")
    assert _live(ada, provider="vast-api", spot="true").json()["total"] == 1
    cheap = _live(ada, provider="vast-api", max_price=0.22).json()
    assert [(o["price_per_hour"], o["spot"]) for o in cheap["items"]] == [(0.202978, True)]
    assert cheap["key_source"] == "none"
    empty = _live(ada, provider="vast-api", gpu="H100").json()
    assert empty["total"] == 0 and empty["warnings"]


def test_a_provider_with_nothing_to_offer_says_so(upstream) -> None:
    upstream.routes["GET /api/v1/instance-types"] = {"data": {}}
    ada = _user("ada@example.com")
    _save_key(ada, "lambda-api", ADA_KEY)
    body = _live(ada, provider="lambda-api").json()
    assert body["total"] == 0
    assert body["warnings"] == ["lambda-api lists no priced GPU offers right now"]


def test_bad_filter_is_400_before_the_provider_is_asked(upstream) -> None:
    response = _live(_user("ada@example.com"), provider="vast-api", sort="colour")
    assert response.status_code == 400 and upstream.seen == []


def test_unauthenticated_is_401(upstream) -> None:
    response = _live(provider="lambda-api")
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"


@pytest.mark.parametrize("provider", ["lambda", "aws", "nowhere-api"])
def test_not_a_live_provider_is_404(upstream, provider: str) -> None:
    response = _live(_user("ada@example.com"), provider=provider)
    assert response.status_code == 404 and "lambda-api" in response.json()["detail"]


def test_failing_provider_is_502(upstream) -> None:
    upstream.routes["POST /api/v0/bundles/"] = Reply({"error": "boom"}, 500)
    response = _live(_user("ada@example.com"), provider="vast-api")
    assert response.status_code == 502 and response.json()["code"] == "upstream_error"
    assert "500" in response.json()["detail"]


def test_provider_error_in_a_200_body_is_502(upstream) -> None:
    upstream.routes["POST /api/v0/bundles/"] = Reply({"success": False})
    assert _live(_user("ada@example.com"), provider="vast-api").status_code == 502


def test_disabled_provider_is_409(upstream, monkeypatch) -> None:
    monkeypatch.setenv("GPUBROKER_DISABLED_PROVIDERS", "vast-api")
    response = _live(_user("ada@example.com"), provider="vast-api")
    assert response.status_code == 409 and response.json()["code"] == "disabled"


def test_offer_detail_route_still_answers() -> None:
    assert Client().get("/api/v2/providers/999999").status_code == 404
