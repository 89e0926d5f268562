"""/api/v2/providers/config lists every source (catalog clouds and live APIs) and counts the
distinct clouds they make: a catalog and a live API of one company are one cloud."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from market.adapters.registry import PROVIDERS, adapters_configured
from market.services.providers import providers_register

pytestmark = pytest.mark.django_db


@override_settings(GPUBROKER_CATALOG_DIR="", GPUBROKER_CATALOG_CLOUDS=[])
def test_config_covers_26_clouds_and_12_live_sources_each_with_kind_and_status() -> None:
    providers_register(adapters_configured())
    body = Client().get("/api/v2/providers/config").json()
    providers = {p["name"]: p for p in body["providers"]}
    live = [p for p in providers.values() if p["kind"] == "api"]
    assert len(live) == body["live_sources"] == len(PROVIDERS) >= 12
    assert body["clouds"] == len({p["cloud"] for p in providers.values()}) >= 26
    assert all(p["kind"] in ("catalog", "api") and p["status"] for p in providers.values())
    # One company, two sources, one cloud: each source listed with its own kind.
    for name in ("lambda", "vast", "runpod", "shadeform", "cudo", "do"):
        pair = (providers[name], providers[f"{name}-api"])
        assert [p["kind"] for p in pair] == ["catalog", "api"]
        assert pair[0]["cloud"] == pair[1]["cloud"] == name
    assert all(p["breaker"]["state"] == "closed" for p in providers.values())
