"""The upstream LLM fails in every way it can; chat answers from the built-in path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.assistant.conftest import chat
from tests.assistant.test_llm import upstream
from tests.support.openai_replay import exchange_load, serve_exchange

EXCHANGES = Path(__file__).parent / "exchanges"
pytestmark = pytest.mark.django_db
FIRST = exchange_load(EXCHANGES / "cheapest_h100.json")


def built_in_after(settings: Any, steps: list[dict[str, Any]],
                   **overrides: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    with serve_exchange(steps) as (url, received):
        upstream(settings, url, **overrides)
        response = chat({"message": "cheapest H100"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["engine"] == "built-in"
    assert [c["name"] for c in body["tool_calls"]] == ["parse_request", "offers_search"]
    return body, received


def test_http_error_falls_back(settings: Any) -> None:
    _, received = built_in_after(settings, [{"status": 500, "response": {"error": {
        "message": "The server had an error while processing your request.",
        "type": "server_error"}}}])
    assert len(received) == 1


def test_timeout_falls_back(settings: Any) -> None:
    built_in_after(settings, [{"delay_s": 1.0, **FIRST[0]}], timeout_s=0.2)


def test_token_budget_falls_back(settings: Any) -> None:
    _, received = built_in_after(settings, FIRST, token_budget=1000)
    assert len(received) == 2  # 719 tokens, then 1159 more: over 1000, no third call


def test_too_many_rounds_fall_back(settings: Any) -> None:
    _, received = built_in_after(settings, FIRST[:1] * 5, max_rounds=2)
    assert len(received) == 2


def test_an_invented_number_is_rejected(settings: Any) -> None:
    body, received = built_in_after(settings, exchange_load(EXCHANGES / "invented_price.json"))
    assert len(received) == 2 and "0.37" not in body["answer"]


def test_an_answer_without_tools_is_rejected(settings: Any) -> None:
    body, _ = built_in_after(settings, exchange_load(EXCHANGES / "no_tools.json"))
    assert "best choice" not in body["answer"]


@pytest.mark.parametrize("response", ["not json", {"choices": []}, {"object": "error"},
                                      {"choices": [{"message": {"tool_calls": [
                                          {"id": "c1", "function": {"name": "offers_search",
                                                                    "arguments": "{oops"}}]}}]}])
def test_malformed_answers_fall_back(settings: Any, response: Any) -> None:
    built_in_after(settings, [{"response": response}])


def test_no_key_no_base_url_means_built_in(settings: Any) -> None:
    body = chat({"message": "cheapest H100"}).json()
    assert body["engine"] == "built-in"
