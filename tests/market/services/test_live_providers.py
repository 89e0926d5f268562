"""Live provider APIs in the sync: opt-in, no_key, disabled, failures keep the last offers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from market.adapters.registry import PROVIDERS
from market.models import Offer, Provider
from market.services.providers import offers_sync_all
from tests.market.adapters.samples import sample
from tests.support.payloads import PayloadServer, Reply, serve_payloads

pytestmark = pytest.mark.django_db
LAMBDA = sample("lambda/instance-types_terraform-provider-lambdalabs_fixture.json")
ROUTE = "GET /api/v1/instance-types"


@pytest.fixture(autouse=True)
def _no_catalog_and_clean_env(monkeypatch, tmp_path) -> Iterator[None]:
    for name in ("GPUBROKER_LIVE_PROVIDERS", "GPUBROKER_DISABLED_PROVIDERS",
                 *(cls.KEY_ENV for cls in PROVIDERS.values() if cls.KEY_ENV)):
        monkeypatch.delenv(name, raising=False)
    with override_settings(GPUBROKER_CATALOG_DIR=str(tmp_path)):  # an empty catalog folder
        yield


@pytest.fixture
def upstream(monkeypatch) -> Iterator[PayloadServer]:
    with serve_payloads({ROUTE: LAMBDA}) as server:
        monkeypatch.setenv("GPUBROKER_API_URL_LAMBDA_API", server.url + "/api/v1")
        yield server


def _config() -> dict[str, dict]:
    providers = Client().get("/api/v2/providers/config").json()["providers"]
    return {p["name"]: p for p in providers}


def test_live_providers_are_listed_disabled_until_opted_in(upstream) -> None:
    assert offers_sync_all() == []
    config = _config()
    assert set(config) == set(PROVIDERS)
    for name, p in config.items():
        assert (p["kind"], p["enabled"], p["status"]) == ("api", False, "disabled"), name
        assert "GPUBROKER_LIVE_PROVIDERS" in p["error"] and name in p["error"]
    assert upstream.seen == []


def test_opted_in_without_key_is_no_key_with_the_variable_named(upstream, monkeypatch) -> None:
    monkeypatch.setenv("GPUBROKER_LIVE_PROVIDERS", "lambda-api")
    (result,) = offers_sync_all()
    assert (result.provider, result.status) == ("lambda-api", "no_key")
    p = _config()["lambda-api"]
    assert (p["enabled"], p["status"]) == (True, "no_key") and "LAMBDA_API_KEY" in p["error"]
    assert upstream.seen == []


def test_opted_in_with_key_syncs_and_a_failure_keeps_the_offers_stale(upstream,
                                                                      monkeypatch) -> None:
    monkeypatch.setenv("GPUBROKER_LIVE_PROVIDERS", "lambda-api,not-a-provider")
    monkeypatch.setenv("LAMBDA_API_KEY", "server_lambda_key_1")
    (result,) = offers_sync_all()
    assert (result.status, result.offers) == ("ok", 1)
    offer = Offer.objects.get(provider="lambda-api")
    assert (offer.gpu_name, offer.price_per_hour, offer.region) == ("A100-80GB", 1.99, "us-west-1")
    assert upstream.seen[0].headers["authorization"] == "Bearer server_lambda_key_1"
    upstream.routes[ROUTE] = Reply({"error": {"code": "global/unknown"}}, 503)
    (failed,) = offers_sync_all()
    assert failed.status == "failed" and "503" in failed.error
    assert Offer.objects.get(provider="lambda-api").stale
    assert Provider.objects.get(name="lambda-api").status == "failed"


def test_all_opts_every_live_provider_in_and_the_disabled_list_wins(monkeypatch) -> None:
    monkeypatch.setenv("GPUBROKER_LIVE_PROVIDERS", "all")
    monkeypatch.setenv("GPUBROKER_DISABLED_PROVIDERS", "vast-api")
    for cls in PROVIDERS.values():  # nothing may leave this machine
        monkeypatch.setenv(f"GPUBROKER_API_URL_{cls.NAME.upper().replace('-', '_')}",
                           "http://127.0.0.1:9")
    results = {r.provider: r.status for r in offers_sync_all()}
    assert "vast-api" not in results and set(results) == set(PROVIDERS) - {"vast-api"}
    assert _config()["vast-api"]["status"] == "disabled"
    keyless = {n for n, cls in PROVIDERS.items() if not cls.KEY_REQUIRED} - {"vast-api"}
    assert {n for n, s in results.items() if s == "failed"} == keyless  # unreachable
    assert {n for n, s in results.items() if s == "no_key"} == set(results) - keyless


def test_a_live_provider_named_but_not_opted_in_says_how_to_enable_it() -> None:
    (result,) = offers_sync_all(only=["lambda-api"])
    assert result.status == "disabled" and "GPUBROKER_LIVE_PROVIDERS" in result.error
