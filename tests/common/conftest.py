"""Helpers for the request-limit tests: a real ASGI call and a logged-in user's token."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import pytest
from asgiref.testing import ApplicationCommunicator

from accounts.models import User
from accounts.services.refresh import token_pair_issue
from tests.support.cache import cache_clear_own

WAIT_S = 10.0


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache_clear_own()  # rate-limit windows and body budgets start empty
    yield
    cache_clear_own()


@pytest.fixture
def access_token(db: None) -> str:
    user = User.objects.create_user(email="lim@example.com", password="limits passphrase 42")
    return token_pair_issue(user=user).access_token


@dataclass
class AsgiAnswer:
    status: int
    body: dict[str, Any]
    unread_chunks: int  # body chunks the application never asked for


def asgi_post(path: str, *, headers: Sequence[tuple[bytes, bytes]],
              chunks: Sequence[bytes]) -> AsgiAnswer:
    """POST through ``config.asgi.application`` as a server would; chunks are queued first."""
    return asyncio.run(_post(path, headers, chunks))


async def _post(path: str, headers: Sequence[tuple[bytes, bytes]],
                chunks: Sequence[bytes]) -> AsgiAnswer:
    from config.asgi import application

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "client": ("127.0.0.1", 40000),
             "server": ("127.0.0.1", 8000),
             "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                         *headers]}
    communicator = ApplicationCommunicator(application, scope)
    for i, chunk in enumerate(chunks):
        await communicator.send_input({"type": "http.request", "body": chunk,
                                       "more_body": i < len(chunks) - 1})
    start = await communicator.receive_output(WAIT_S)
    body = await communicator.receive_output(WAIT_S)
    unread = communicator.input_queue.qsize()
    await communicator.wait(WAIT_S)
    return AsgiAnswer(status=start["status"], body=orjson.loads(body["body"]),
                      unread_chunks=unread)
