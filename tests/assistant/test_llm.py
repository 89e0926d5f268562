"""Chat through an upstream OpenAI-compatible LLM: a real local server replays hand-written
protocol exchanges (tests/assistant/exchanges) while the real tools run on the snapshot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.assistant.conftest import chat
from tests.support.openai_replay import exchange_load, serve_exchange

EXCHANGES = Path(__file__).parent / "exchanges"
pytestmark = pytest.mark.django_db


def upstream(settings: Any, url: str, **overrides: Any) -> None:
    settings.GPUBROKER_LLM = {"base_url": url, "api_key": "test-key", "model": "gpt-4o-mini",
                              "timeout_s": 5.0, "token_budget": 8000, "max_rounds": 4,
                              **overrides}


def test_upstream_answers_with_function_calls(settings: Any, synced_snapshot: Any) -> None:
    cheapest = Client().get("/api/v2/providers/", {"gpu": "H100", "per_page": 1}).json()
    with serve_exchange(exchange_load(EXCHANGES / "cheapest_h100.json")) as (url, received):
        upstream(settings, url)
        body = chat({"message": "cheapest H100"}).json()
    top = cheapest["items"][0]
    assert body["engine"] == "gpt-4o-mini-2024-07-18"
    assert [c["name"] for c in body["tool_calls"]] == ["parse_request", "offers_search"]
    assert [o["id"] for o in body["offers"]] == [top["id"]]
    assert f"#{top['id']}:" in body["answer"]
    assert f"${top['price_per_hour']:,.2f}/h" in body["answer"]
    _check_protocol(received)


def _check_protocol(received: list[dict[str, Any]]) -> None:
    """What the client sent is OpenAI chat completions with tools and tool results."""
    assert len(received) == 3
    for request in received:
        assert request["path"] == "/v1/chat/completions"
        assert request["headers"]["Authorization"] == "Bearer test-key"
        body = request["body"]
        assert body["model"] == "gpt-4o-mini" and body["tool_choice"] == "auto"
        assert {t["function"]["name"] for t in body["tools"]} >= {"offers_search", "recommend"}
        assert all(t["type"] == "function" and t["function"]["parameters"]["type"] == "object"
                   for t in body["tools"])
        assert body["messages"][0]["role"] == "system"
        assert 0 < body["max_tokens"] <= 1024
    last = received[-1]["body"]["messages"]
    assert [m["role"] for m in last] == ["system", "user", "assistant", "tool", "assistant",
                                         "tool"]
    assert last[3]["tool_call_id"] == "call_Wq2p9Xk1"
    search = json.loads(last[5]["content"])
    assert last[5]["tool_call_id"] == "call_h7Lm3Qz0" and search["total"] > 0
