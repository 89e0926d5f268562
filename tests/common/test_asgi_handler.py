"""``common.asgi_handler``: HTTP through ``config.asgi.application`` runs the middleware chain
and a sync view in one thread hop (the chain is built in sync mode), with every middleware's
work still done: headers, JSON errors, the view's answer."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
from asgiref.sync import iscoroutinefunction

from tests.support.asgi import asgi_get

pytestmark = pytest.mark.django_db(transaction=True)


async def _get(path: str) -> tuple[int, dict[bytes, bytes], Any]:
    answer = await asgi_get(path)
    return answer.status, answer.headers, orjson.loads(answer.body)


def test_the_chain_is_sync_and_entered_once() -> None:
    from config.asgi import django_asgi_app

    assert not iscoroutinefunction(django_asgi_app._middleware_chain)


def test_an_answer_through_asgi_has_every_middleware_s_work() -> None:
    status, headers, body = asyncio.run(_get("/api/v2/math/gpus"))
    assert status == 200 and body
    assert headers[b"x-frame-options"] == b"DENY"  # clickjacking middleware
    assert b"content-security-policy" in headers  # ours
    assert headers[b"x-content-type-options"] == b"nosniff"  # security middleware


def test_an_unknown_path_is_a_json_404_through_asgi() -> None:
    status, _, body = asyncio.run(_get("/api/v2/math/gpus/A1000"))
    assert status == 404 and "nearest known names" in body["detail"]
