"""`/api/v2/kpi/` over HTTP on the real snapshot: shapes, GPU spellings, 4xx, both engines."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db
URL = "/api/v2/kpi/"


def _get(path: str, **params) -> dict:
    response = Client().get(URL + path, params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("spelling", ["RTX 4090", "4090", "NVIDIA GeForce RTX 4090", "rtx4090"])
def test_gpu_accepts_every_spelling_of_the_offers_api(synced_snapshot, spelling) -> None:
    body = _get(f"gpu/{spelling}")
    offers = Client().get("/api/v2/providers/", {"gpu": spelling, "per_page": 1}).json()
    assert body["gpus"] == ["RTX4090"]
    assert body["offers"] == offers["total"] > 0
    assert body["on_demand"]["min"] <= body["on_demand"]["median"] <= body["on_demand"]["max"]
    assert body["value"]["bf16_tflops"] > 0 and body["value"]["usd_per_tflop_hour"] > 0
    assert body["value"]["usd_per_million_tokens"] > 0
    assert body["trend"]["change_7d"] is None and body["trend"]["reasons"]["change_7d"]


def test_unknown_gpu_is_404_naming_close_matches(synced_snapshot) -> None:
    response = Client().get(URL + "gpu/H1OO")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found" and "H100" in body["close_matches"]
    assert "H100" in body["detail"]


def test_unknown_provider_is_404_naming_close_matches(synced_snapshot) -> None:
    response = Client().get(URL + "provider/runpd")
    assert response.status_code == 404
    assert response.json()["close_matches"][0] == "runpod"


def test_overview_provider_and_insights_answer(synced_snapshot) -> None:
    overview = _get("overview")
    assert overview["providers"]["ok"] == 19 and overview["offers"] > 4000
    assert overview["popular_gpus"][0]["cheapest"]["price_per_gpu_hour"] > 0
    provider = _get("provider/lambda")
    assert provider["sync"]["success_share"] == 1.0 and provider["price_index"] > 0
    market = _get("insights/market")
    assert market["cheapest"] and market["spread"] and market["best_value"] and market["supply"]
    assert market["drops"] == [] and market["rises"] == []  # one sync: nothing moved yet


def test_history_answers_a_series_for_a_gpu(synced_snapshot) -> None:
    body = _get("history", gpu="H100", interval="hour")
    assert len(body["points"]) == 1
    point = body["points"][0]
    assert point["min"] <= point["median"] <= point["max"] and point["observations"] > 0


@pytest.mark.parametrize("params, status", [
    ({"interval": "minute"}, 422), ({"since": "yesterday"}, 422),
    ({"gpu": "nope-gpu-9"}, 404),
    ({"since": "2026-01-02T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, 400),
    ({"interval": "hour", "since": "2000-01-01T00:00:00Z"}, 400),
])
def test_history_bad_input_is_4xx(params, status) -> None:
    response = Client().get(URL + "history", params)
    assert response.status_code == status, response.content
    assert response.json()["code"]


def test_clickhouse_url_switches_the_engine(synced_snapshot, chdb_url) -> None:
    from kpi.clickhouse import clickhouse_reset
    from kpi.services import clickhouse_stream

    clickhouse_reset(chdb_url)
    clickhouse_stream(url=chdb_url)
    sql = _get("gpu/A100")
    with override_settings(CLICKHOUSE_URL=chdb_url):
        ch = _get("gpu/A100")
    assert (sql["engine"], ch["engine"]) == ("sql", "clickhouse")
    assert ch["on_demand"] == sql["on_demand"] and ch["providers"] == sql["providers"]


@pytest.mark.parametrize("params", [{"since": "0001-01-01T00:00:00Z"},
                                    {"until": "9999-12-31T23:59:59Z"}])
def test_times_out_of_range_are_400(params) -> None:
    for path in ("history", "insights/market"):
        response = Client().get(URL + path, params)
        if path == "insights/market" and "until" in params:
            assert response.status_code == 200  # insights takes no until
            continue
        assert response.status_code == 400, (path, response.content)
