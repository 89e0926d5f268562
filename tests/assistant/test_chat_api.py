"""/api/v2/ai chat without offers: bad input, sessions (owner only), rate limit, tools."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from assistant.grounding import ungrounded_numbers
from assistant.models import ChatMessage, ChatSession
from assistant.tools import TOOLS
from tests.assistant.conftest import bearer, chat

pytestmark = pytest.mark.django_db


def test_empty_store_says_how_to_fill_it() -> None:
    body = chat({"message": "cheapest H100"}).json()
    assert body["offers"] == [] and "gpubroker sync" in body["answer"]
    assert body["engine"] == "built-in" and body["session_id"] is None
    assert not ungrounded_numbers(body["answer"], body["tool_calls"])
    assert not ChatSession.objects.exists()  # anonymous: nothing stored


@pytest.mark.parametrize(("body", "status"), [
    ({"message": ""}, 400), ({"message": " \t "}, 400),
    ({"message": "h" * 100_000}, 413), ({"message": "\x00\x01binary\ufffd"}, 400),
    ({}, 422), ({"message": None}, 422), ({"message": "hi", "session_id": 5}, 422),
    (bytes(range(256)) * 8, 400), (b"\x89PNG\r\n\x1a\n\x00\x00", 400), (b"", 422),
])
def test_bad_input_is_4xx(body: Any, status: int) -> None:
    response = chat(body)
    assert response.status_code == status, response.content
    assert response.json()["detail"]


def test_signed_in_chat_keeps_a_session_and_follow_ups_use_it(ada: Any) -> None:
    first = chat({"message": "8x H100 spot"}, **bearer(ada)).json()
    assert first["session_id"]
    follow = chat({"message": "and only on aws", "session_id": first["session_id"]},
                  **bearer(ada)).json()
    parse = follow["tool_calls"][0]["result"]
    assert parse["filters"]["gpu"] == ["H100"] and parse["filters"]["providers"] == ["aws"]
    assert parse["query"] == "gpu in [H100] gpu_count>=8 spot=true provider in [aws]"
    session = ChatSession.objects.get(pk=first["session_id"])
    assert session.user == ada
    roles = list(ChatMessage.objects.filter(session=session).values_list("role", flat=True))
    assert roles == ["user", "assistant", "user", "assistant"]


def test_sessions_are_owner_only(ada: Any, eve: Any) -> None:
    session_id = chat({"message": "cheapest L4"}, **bearer(ada)).json()["session_id"]
    client = Client()
    assert client.get(f"/api/v2/ai/sessions/{session_id}", **bearer(eve)).status_code == 404
    stolen = chat({"message": "and in Europe", "session_id": session_id}, **bearer(eve))
    assert stolen.status_code == 404
    anonymous = chat({"message": "and in Europe", "session_id": session_id})
    assert anonymous.status_code == 401
    mine = client.get(f"/api/v2/ai/sessions/{session_id}", **bearer(ada)).json()
    assert [m["role"] for m in mine["messages"]] == ["user", "assistant"]
    listed = client.get("/api/v2/ai/sessions", **bearer(ada)).json()
    assert [s["id"] for s in listed] == [session_id]
    assert client.get("/api/v2/ai/sessions", **bearer(eve)).json() == []
    assert client.delete(f"/api/v2/ai/sessions/{session_id}", **bearer(eve)).status_code == 404
    assert client.delete(f"/api/v2/ai/sessions/{session_id}", **bearer(ada)).status_code == 204
    assert not ChatSession.objects.exists()


def test_a_bad_token_is_401_not_anonymous() -> None:
    response = chat({"message": "cheapest H100"}, HTTP_AUTHORIZATION="Bearer not-a-jwt")
    assert response.status_code == 401


def test_anonymous_chat_is_rate_limited(settings: Any) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS, "ai_ip": "2/60"}
    codes = [chat({"message": "cheapest H100"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = chat({"message": "cheapest H100"})
    assert limited.json()["code"] == "rate_limited" and int(limited["Retry-After"]) >= 1


def test_tools_are_listed_with_json_schemas() -> None:
    body = Client().get("/api/v2/ai/tools").json()
    assert [t["name"] for t in body] == list(TOOLS)
    assert {"parse_request", "offers_search", "recommend", "estimate", "price_history",
            "gpu_kpis", "price_trend"} <= set(TOOLS)
    for tool in body:
        assert tool["description"] and tool["parameters"]["type"] == "object"
        assert set(tool["parameters"]["required"]) <= set(tool["parameters"]["properties"])


def test_cli_ask_prints_the_answer_and_the_parse(capsys: Any) -> None:
    from gpubroker.cli import main

    assert main(["ask", "--parse", "8x", "A100", "80GB", "spot"]) == 0
    parsed = capsys.readouterr().out
    assert '"query": "gpu in [A100-80GB] gpu_count>=8 spot=true"' in parsed
    assert main(["ask", "cheapest", "H100"]) == 0
    out = capsys.readouterr().out
    assert "gpubroker sync" in out and "(built-in; tools: parse_request, offers_search)" in out
    assert main(["ask", " "]) == 2
    assert "message is empty" in capsys.readouterr().err
