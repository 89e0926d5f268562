"""POST /api/v2/ai/parse-workload through Django's test client: shape and bad input."""

from __future__ import annotations

import json

import pytest
from django.test import Client

URL = "/api/v2/ai/parse-workload"


def post(body: object, **extra: object) -> object:
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return Client().post(URL, data, content_type="application/json", **extra)


def test_parse_workload_returns_workload_filters_query() -> None:
    response = post({"text": "8x A100 80GB spot on aws, fine-tune llama 3.1 8b with lora"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["workload"]["task"] == "fine-tune"
    assert body["workload"]["model"] == "Llama-3.1-8B"
    assert body["workload"]["method"] == "lora"
    assert body["filters"]["gpu"] == ["A100-80GB"] and body["filters"]["gpu_count"] == 8
    assert body["query"] == ("gpu in [A100-80GB] gpu_count>=8 spot=true provider in [aws]")
    assert body["unparsed"] == [] and body["confidence"] == 1.0


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"text": ""}, 400, "invalid_input"),
    ({"text": "   \n "}, 400, "invalid_input"),
    ({"text": "x" * 100_000}, 413, "message_too_long"),
    ({"text": "cheapest \x00\x01\x02 h100"}, 400, "invalid_input"),
    ({}, 422, "validation_error"),
    ({"text": 42}, 422, "validation_error"),
    ({"text": ["h100"]}, 422, "validation_error"),
])
def test_bad_text_is_a_4xx_json(body: dict, status: int, code: str) -> None:
    response = post(body)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code and response.json()["detail"]


@pytest.mark.parametrize("raw", [bytes(range(256)) * 4, b"\xff\xfe\x00binary", b"",
                                 b"{\"text\": \"h100\"", "x" * 100_000])
def test_binary_or_broken_bodies_are_4xx(raw: bytes | str) -> None:
    response = post(raw)
    assert 400 <= response.status_code < 500, response.content
    assert "detail" in response.json()
