"""POST /api/v2/ai/chat on the real synced SkyPilot snapshot: answers grounded in tools."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from assistant.grounding import ungrounded_numbers
from tests.assistant.conftest import chat

pytestmark = pytest.mark.django_db


def offers_api(**params: Any) -> dict[str, Any]:
    response = Client().get("/api/v2/providers/", params)
    assert response.status_code == 200, response.content
    return response.json()


def ask(message: str, **headers: Any) -> dict[str, Any]:
    response = chat({"message": message}, **headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) >= {"answer", "offers", "tool_calls", "session_id"}
    assert not ungrounded_numbers(body["answer"], body["tool_calls"]), body["answer"]
    return body


def test_cheapest_h100_is_the_offers_apis_cheapest_h100(synced_snapshot: Any) -> None:
    cheapest = offers_api(gpu="H100", sort="price_per_hour", per_page=1)["items"][0]
    body = ask("cheapest H100")
    first = body["offers"][0]
    assert first["id"] == cheapest["id"]
    assert first["price_per_hour"] == cheapest["price_per_hour"]
    assert f"#{cheapest['id']} " in body["answer"]
    assert f"${cheapest['price_per_hour']:,.2f}/h" in body["answer"]
    assert [c["name"] for c in body["tool_calls"]] == ["parse_request", "offers_search"]
    assert body["session_id"] is None  # anonymous: no history


def test_impossible_request_gets_no_offers_and_names_the_constraint(synced_snapshot: Any) -> None:
    body = ask("8x H100 under $0.05/h")
    assert body["offers"] == []
    assert "no offers left after 'price_per_hour<=0.05'" in body["answer"]
    assert "nearest relaxation" in body["answer"]
    search = body["tool_calls"][-1]["result"]
    assert search["total"] == 0 and search["relaxations"]


def test_compare_gpus_quotes_each_cheapest_offer(synced_snapshot: Any) -> None:
    body = ask("compare A100 vs H100, on demand")
    for gpu in ("A100", "H100"):
        cheapest = offers_api(gpu=gpu, spot="false", per_page=1)["items"][0]
        assert f"#{cheapest['id']} " in body["answer"]
    assert {o["gpu_name"] for o in body["offers"]} <= {
        "A100", "A100-40GB", "A100-80GB", "A100-40GB-SXM", "A100-80GB-SXM", "A100-40GB-PCIe",
        "A100-80GB-PCIe", "H100", "H100-SXM", "H100-PCIe", "H100-NVL"}


def test_what_fits_a_workload_comes_from_recommend(synced_snapshot: Any) -> None:
    body = ask("serve llama 3.1 8b for 8 users on L4 or A10G, cheapest")
    recommend = next(c for c in body["tool_calls"] if c["name"] == "recommend")
    top = recommend["result"]["items"][0]
    assert recommend["arguments"]["workload"]["model"] == "Llama-3.1-8B"
    workload = recommend["arguments"]["workload"]
    assert workload["mode"] == "throughput" and workload["concurrency"] == 8
    assert f"#{top['offer']['id']} " in body["answer"]
    assert body["offers"][0]["id"] == top["offer"]["id"]


def test_cost_to_finish_names_the_cheapest_finisher(synced_snapshot: Any) -> None:
    body = ask("how much to fine-tune llama 3.1 8b with lora on 20M tokens on A100 80GB?")
    recommend = next(c for c in body["tool_calls"] if c["name"] == "recommend")
    items = recommend["result"]["items"]
    best = min(items, key=lambda i: i["estimate"]["usd_to_finish"])
    assert f"#{best['offer']['id']} " in body["answer"]
    assert "to finish 20,000,000 tokens" in body["answer"]


def test_explain_a_ranking_gives_topsis_contributions(synced_snapshot: Any) -> None:
    body = ask("why is the first offer ranked first for llama 3 8b on L4?")
    recommend = next(c for c in body["tool_calls"] if c["name"] == "recommend")
    top = recommend["result"]["items"][0]
    assert "TOPSIS score" in body["answer"]
    assert all(name in body["answer"] for name in top["contributions"])


def test_price_trend_reads_kpis_and_price_history(synced_snapshot: Any) -> None:
    body = ask("price trend of the cheapest H100 on aws")
    trend = next(c for c in body["tool_calls"] if c["name"] == "price_trend")
    assert trend["arguments"] == {"gpu": "H100", "interval": "day", "provider": "aws"}
    kpi = Client().get("/api/v2/kpi/history", {"gpu": "H100", "provider": "aws"}).json()
    last = kpi["points"][-1]
    assert trend["result"]["points"][-1]["median"] == last["median"]
    assert f"${last['median']:,.2f}" in body["answer"]
    histories = [c for c in body["tool_calls"] if c["name"] == "price_history"]
    assert histories and all(h["result"]["observations"] for h in histories)
    assert "observation" in body["answer"]


def test_gpu_kpis_tool_is_the_kpi_apis_figures(synced_snapshot: Any) -> None:
    from assistant.tools import tool_run

    result = tool_run("gpu_kpis", {"gpu": "A100"})
    api = Client().get("/api/v2/kpi/gpu/A100").json()
    assert result["offers"] == api["offers"] and result["on_demand"] == api["on_demand"]
