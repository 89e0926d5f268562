"""ASGI guard in front of Django: a body over its limit is refused before it is read.

Django's ASGI handler reads a whole body (to memory, then a temporary file) before any
middleware runs, so the limit must hold here. ``Content-Length`` is judged first (413 at
once, nothing read); a body without one is counted chunk by chunk as Django pulls it, and
once over the limit Django is told the client left and the client gets the 413. Large
bodies (over the default, where a path allows them) are served one at a time per process
(``GPUBROKER_LARGE_BODY_CONCURRENCY``), so their memory does not add up, and what each
used is given back to the OS once it is answered (``common.memory``). The
policy (bytes per path, who may send a large body) is ``common.bodylimits``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson
from asgiref.sync import sync_to_async
from django.conf import settings

from common.bodylimits import BodyLimit, Sender, allowed_bytes, body_limit_for, too_large
from common.errors import BadRequest, BrokerError, PayloadTooLarge
from common.memory import memory_release

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def _sender(scope: Scope) -> Sender:
    client = scope.get("client") or ("", 0)
    return Sender(authorization=_header(scope, b"authorization"),
                  remote_addr=str(client[0]), forwarded_for=_header(scope, b"x-forwarded-for"))


def _content_length(scope: Scope) -> int | None:
    text = _header(scope, b"content-length").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise BadRequest("Content-Length must be a number of bytes", code="bad_content_length")
    return int(text)


async def _refuse(send: Send, exc: BrokerError) -> None:
    body = orjson.dumps(exc.as_body())
    await send({"type": "http.response.start", "status": exc.http_status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class _Counter:
    """Wraps ``receive``: counts body bytes and stops the stream once over ``allowed``."""

    def __init__(self, receive: Receive, scope: Scope, limit: BodyLimit, allowed: int) -> None:
        self.receive, self.scope, self.limit, self.allowed = receive, scope, limit, allowed
        self.seen = 0
        self.refusal: PayloadTooLarge | None = None

    async def __call__(self) -> Message:
        if self.refusal is not None:
            return {"type": "http.disconnect"}
        message = await self.receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.allowed and not await self._widen():
                return {"type": "http.disconnect"}
        return message

    async def _widen(self) -> bool:
        """Over the default without a Content-Length: ask for the large limit once."""
        try:
            if self.allowed >= self.limit.ceiling:
                raise too_large(self.allowed)
            self.allowed = await sync_to_async(allowed_bytes, thread_sensitive=False)(
                self.limit, size=self.limit.ceiling, sender=_sender(self.scope))
        except PayloadTooLarge as exc:
            self.refusal = exc
            return False
        return self.seen <= self.allowed or self._refuse_now()

    def _refuse_now(self) -> bool:
        self.refusal = too_large(self.allowed)
        return False


_SLOTS: dict[asyncio.AbstractEventLoop, asyncio.Semaphore] = {}


def _large_slots() -> asyncio.Semaphore:
    """At most ``GPUBROKER_LARGE_BODY_CONCURRENCY`` large bodies in flight per event loop;
    the others wait with their body still unread (in the client's socket, not here)."""
    loop = asyncio.get_running_loop()
    if loop not in _SLOTS:
        _SLOTS[loop] = asyncio.Semaphore(settings.GPUBROKER_LARGE_BODY_CONCURRENCY)
    return _SLOTS[loop]


class BodyLimitASGI:
    """``BodyLimitASGI(django_asgi_app)``: HTTP bodies within ``common.bodylimits``."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope["path"])
        try:
            allowed = await self._announced(scope, limit)
        except BrokerError as exc:
            await _refuse(send, exc)
            return
        if allowed > limit.max_bytes:  # a large body: one (or a few) at a time
            async with _large_slots():
                try:
                    await self._serve(scope, receive, send, limit, allowed)
                finally:  # what it used goes back to the OS (cycles, free heap pages)
                    await sync_to_async(memory_release, thread_sensitive=False)()
            return
        await self._serve(scope, receive, send, limit, allowed)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, limit: BodyLimit,
                     allowed: int) -> None:
        counter = _Counter(receive, scope, limit, allowed)
        started = False

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counter, tracked_send)
        if counter.refusal is not None and not started:
            await _refuse(send, counter.refusal)

    async def _announced(self, scope: Scope, limit: BodyLimit) -> int:
        size = _content_length(scope)
        if size is None or size <= limit.max_bytes:
            return limit.max_bytes
        return await sync_to_async(allowed_bytes, thread_sensitive=False)(
            limit, size=size, sender=_sender(scope))
