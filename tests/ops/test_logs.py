"""Structured request logs: one JSON line per request with id, route, status, duration and
user; the id comes back in X-Request-ID and stamps every line logged during the request."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client

from accounts.models import User
from common.logs import JsonFormatter, RequestIdFilter
from tests.accounts.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def _records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_one_access_line_per_request_with_route_status_and_duration(json_lines: io.StringIO
                                                                    ) -> None:
    answer = Client().get("/api/v2/providers/", {"max_price": "abc"})
    assert answer.status_code in {400, 422}
    access = [r for r in _records(json_lines) if r["logger"] == "gpubroker.access"]
    assert len(access) == 1
    line = access[0]
    assert line["status"] == answer.status_code and line["method"] == "GET"
    assert line["path"] == "/api/v2/providers/" and line["route"]
    assert isinstance(line["duration_ms"], float) and line["request_id"] == answer["X-Request-ID"]
    warnings = [r for r in _records(json_lines) if r["logger"] == "django.request"]
    assert warnings == []  # the 4xx is logged once


def test_the_client_request_id_is_kept_and_the_user_is_named(json_lines: io.StringIO) -> None:
    user = User.objects.create_user(email="ada@example.com",
                                    password="correct horse battery staple 42")
    client = Client()
    token = login(client)["access_token"]
    answer = client.get("/api/v2/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}",
                        HTTP_X_REQUEST_ID="trace-1234abcd")
    assert answer["X-Request-ID"] == "trace-1234abcd"
    line = [r for r in _records(json_lines) if r.get("request_id") == "trace-1234abcd"][-1]
    assert line["user_id"] == user.pk and line["status"] == 200


def test_an_odd_request_id_is_replaced(json_lines: io.StringIO) -> None:
    answer = Client().get("/health", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert answer["X-Request-ID"] != "bad id\nwith newline" and len(answer["X-Request-ID"]) == 32
