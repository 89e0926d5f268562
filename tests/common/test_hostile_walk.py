"""Every ``/api/v2`` operation, walked from the served OpenAPI schema, answers hostile query
strings and bodies with a 4xx JSON error naming the problem — never a 5xx.

Regression for the probe's 500s (more than 1,000 query parameters, a body over 64 MB) and
for the class: a new endpoint is walked the day it is added. Query strings: 1,001
parameters, a NUL byte, a lone surrogate, bytes that are not UTF-8. Bodies (any method):
announced over the limit, nested too deep, too many values, not an object, not JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

QUERIES = {
    "&".join(f"p{i}=1" for i in range(1001)): "too_many_parameters",
    "q=gpu%3DH100%00": "invalid_query",
    "provider=%ED%A0%80": "invalid_query",
    "q=%FF%FE": "invalid_query",
}
BODIES: dict[str, tuple[bytes, dict[str, str], int, str]] = {
    "over the limit": (b"{}", {"CONTENT_LENGTH": str(65 * 1024 * 1024)}, 413,
                       "payload_too_large"),
    "too deep": (b"[" * 100 + b"]" * 100, {}, 400, "json_too_deep"),
    "too many values": (b'{"a": [' + b"0," * 30_000 + b"0]}", {}, 413, "json_too_many_items"),
    "not an object": (b"[null, null]", {}, 400, "invalid_json"),
    "not JSON": (b"{'a': 1}", {}, 400, "invalid_json"),
}


def _operations() -> Iterator[tuple[str, str]]:
    schema = Client().get("/api/v2/openapi.json").json()
    for path, item in schema["paths"].items():
        for method in item:
            if method in {"get", "post", "put", "patch", "delete"}:
                yield method, re.sub(r"\{[^}]+\}", "1", path)


def _assert_refused(response: Any, status: int, code: str, what: str) -> None:
    assert response.status_code == status, (what, response.status_code, response.content[:200])
    body = response.json()
    assert body["code"] == code and body["detail"], (what, body)


def test_every_operation_refuses_hostile_query_strings() -> None:
    operations = list(_operations())
    assert len(operations) >= 60  # the walk found the API
    for method, url in operations:
        for query, code in QUERIES.items():
            response = getattr(Client(), method)(f"{url}?{query}")
            _assert_refused(response, 400, code, f"{method.upper()} {url}?{query[:30]}")


def test_every_operation_refuses_hostile_bodies(settings: Any) -> None:
    for method, url in _operations():
        for what, (raw, extra, status, code) in BODIES.items():
            if what == "too many values" and url in settings.GPUBROKER_LARGE_BODY_PATHS:
                continue  # 2,000,000 values allowed there (GPUBROKER_LARGE_JSON_MAX_ITEMS)
            response = Client().generic(method.upper(), url, raw,
                                        content_type="application/json", **extra)
            _assert_refused(response, status, code, f"{method.upper()} {url}: {what}")
