"""Bounded work per request: bodies over their limit are refused before they are read.

Regression for the probe's memory exhaustion (60 MB JSON to /auth/login, 4 x 60 MB to
/math/topsis) and its 500s (a body over 64 MB on any endpoint, > 1,000 query parameters).
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from django.test import Client

from tests.common.conftest import asgi_post

pytestmark = pytest.mark.django_db(transaction=True)

MIB = 1024 * 1024
LOGIN = "/api/v2/auth/login"
TOPSIS = "/api/v2/math/topsis"
GOOD_TOPSIS = {"weights": [1] * 8, "criteria_types": ["cost", "benefit"] * 4}


def _post(path: str, raw: bytes, **extra: Any) -> Any:
    return Client().post(path, raw, content_type="application/json", **extra)


def _matrix_body(target_bytes: int) -> bytes:
    rows = [[1000.5 + i, 2000.25 + i % 97, 3 + i % 2, 4.5 + i % 5, 5 + i % 7, 6 + i % 11,
             7 + i % 13, 8 + i % 3] for i in range(target_bytes // 45)]
    return orjson.dumps({**GOOD_TOPSIS, "decision_matrix": rows})


def test_60_mb_login_body_is_refused_from_its_content_length_without_reading_it() -> None:
    answer = asgi_post(LOGIN, headers=[(b"content-length", str(60 * MIB).encode())],
                       chunks=[b"{" + b" " * 65536] * 4)
    assert answer.status == 413 and answer.body["code"] == "payload_too_large"
    assert str(MIB) in answer.body["detail"] and answer.body["limit"] == MIB
    assert answer.unread_chunks == 4  # not one byte of the body was asked for


def test_a_body_without_content_length_is_counted_and_cut_at_the_limit() -> None:
    chunk = b" " * (256 * 1024)
    answer = asgi_post(LOGIN, headers=[], chunks=[chunk] * 40)  # 10 MiB, chunked
    assert answer.status == 413 and answer.body["limit"] == MIB
    assert answer.unread_chunks >= 40 - 5  # stopped just past 1 MiB


def test_anonymous_60_mb_topsis_body_is_refused_before_reading() -> None:
    answer = asgi_post(TOPSIS, headers=[(b"content-length", str(60 * MIB).encode())],
                       chunks=[b"{}"])
    assert answer.status == 413 and answer.body["limit"] == 8 * MIB
    assert answer.unread_chunks == 1


def test_login_body_just_over_one_mib_is_413_naming_the_limit() -> None:
    raw = orjson.dumps({"email": "a@example.com", "password": "x" * MIB})
    response = _post(LOGIN, raw)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large" and str(MIB) in response.json()[
        "detail"]


@pytest.mark.parametrize("path", ["/api/v2/auth/login", "/api/v2/auth/register",
                                  "/api/v2/math/estimate", "/api/v2/providers/"])
@pytest.mark.parametrize("debug", [False, True])
def test_a_body_announced_over_64_mb_is_413_json_in_every_mode(
        settings: Any, path: str, debug: bool) -> None:
    settings.DEBUG = debug
    response = Client().post(path, b"{}", content_type="application/json",
                             CONTENT_LENGTH=str(65 * MIB))
    assert response.status_code == 413 and response["Content-Type"] == "application/json"


def test_large_matrix_with_a_bearer_token_is_read(access_token: str) -> None:
    raw = _matrix_body(2 * MIB)
    response = _post(TOPSIS, raw, HTTP_AUTHORIZATION=f"Bearer {access_token}")
    assert len(raw) > MIB and response.status_code == 200, response.content[:300]


def test_anonymous_large_matrices_spend_a_per_address_budget(settings: Any) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS,
                                      "large_body_ip": "3/600"}  # 3 MiB per 10 minutes
    raw = _matrix_body(2 * MIB)
    assert _post(TOPSIS, raw).status_code == 200  # 2 MiB spent
    refused = _post(TOPSIS, raw)  # 4 MiB > 3 MiB
    assert refused.status_code == 413 and "Bearer" in refused.json()["detail"]
    small = {**GOOD_TOPSIS, "decision_matrix": [[1, 2] * 4, [2, 1] * 4]}
    assert _post(TOPSIS, orjson.dumps(small)).status_code == 200  # small: not budgeted


@pytest.mark.parametrize(("depth", "status", "code"), [
    (10_000, 400, "json_too_deep"), (100_000, 413, "json_too_many_items")])
def test_deeply_nested_json_is_refused_before_parsing(depth: int, status: int,
                                                       code: str) -> None:
    raw = b'{"email": ' + b"[" * depth + b"]" * depth + b', "password": "x"}'
    response = _post(LOGIN, raw)
    assert response.status_code == status and response.json()["code"] == code


def test_json_with_more_values_than_the_limit_is_refused_before_parsing() -> None:
    raw = orjson.dumps({"email": [0] * 20_001, "password": "x"})
    response = _post(LOGIN, raw)
    assert response.status_code == 413 and response.json()["code"] == "json_too_many_items"


@pytest.mark.parametrize("debug", [False, True])
def test_more_than_1000_query_parameters_is_400_json(settings: Any, debug: bool) -> None:
    settings.DEBUG = debug
    query = "&".join(f"p{i}=1" for i in range(1001))
    response = Client().get(f"/api/v2/providers/?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == "too_many_parameters" and "1000" in response.json()[
        "detail"]


@pytest.mark.parametrize("query", ["q=gpu%3DH100%00", "provider=%ED%A0%80", "q=%FF%FE"])
def test_nul_bytes_and_lone_surrogates_in_a_query_are_400(query: str) -> None:
    response = Client().get(f"/api/v2/providers/?{query}")
    assert response.status_code == 400 and response.json()["code"] == "invalid_query"


@pytest.mark.parametrize(("method", "path"), [
    ("patch", "/api/v2/auth/saved-searches/1"), ("post", "/api/v2/auth/logout"),
    ("post", "/api/v2/math/templates/llm-chat/apply")])
@pytest.mark.parametrize("raw", [b"[null, null]", b"[]", b"null", b"42", b'"text"'])
def test_a_body_that_is_not_an_object_is_refused(access_token: str, method: str, path: str,
                                                 raw: bytes) -> None:
    """Schemas read attributes: ``[null, null]`` used to pass as an object of defaults."""
    send = getattr(Client(), method)
    response = send(path, raw, content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {access_token}")
    assert response.status_code == 400 and response.json()["code"] == "invalid_json"
