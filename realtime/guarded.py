"""``GuardedJsonConsumer``: a JSON WebSocket consumer inside ``realtime.limits``.

Subclass it and implement ``connected()`` (after the handshake, inside the per-address
cap) and ``message(content)`` (a JSON value that passed every limit)::

    class NotificationsConsumer(GuardedJsonConsumer):
        kind = "notifications"            # its own per-address count
        async def connected(self): ...
        async def message(self, content): ... await self.send_error(exc)

Every connection within the cap counts in ``gpubroker_ws_connections{path}`` while open.

What it refuses, before the subclass sees anything:

* a connection over the per-address cap (before any channel-layer work): accepted, then
  closed 1013 with the limit as reason (the client learns why, not just a failed
  handshake);
* a frame over ``max_frame_bytes``: closed 1009 with the limit as reason;
* more than ``messages_per_s`` (burst ``burst``), a frame that is not JSON, too deep or
  too large: an error frame each; after ``max_refusals`` of them, closed 1008.

When the channel layer (Redis) cannot be reached, at the handshake or later, the
connection is closed 1013 (try again later) with the reason, one warning logged: no
unhandled exception, and clients reconnect once Redis is back.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from common.errors import BrokerError, RateLimited
from common.jsonlimits import json_loads_bounded
from common.outages import REDIS_ERRORS
from realtime.limits import (
    CLOSE_POLICY,
    CLOSE_TOO_BIG,
    CLOSE_TRY_LATER,
    SLOTS,
    MessageRate,
    WsLimits,
    ws_client_address,
    ws_limits,
)
from realtime.metrics import WS_CONNECTIONS

LAYER_DOWN = "the channel layer (Redis) cannot be reached; reconnect shortly"
log = logging.getLogger(__name__)


class GuardedJsonConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    kind = "ws"  # connections are counted per (kind, address)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.limits: WsLimits = ws_limits()
        self.address = ws_client_address(scope)
        self.holds_slot = SLOTS.acquire(self.kind, self.address, self.limits.per_address)
        if not self.holds_slot:  # refused before any channel-layer work
            await _refuse_over_cap(receive, send, self.limits.per_address)
            return
        self.path = str(scope.get("path", ""))
        WS_CONNECTIONS.labels(self.path).inc()
        try:
            await super().__call__(scope, receive, send)
        except REDIS_ERRORS as exc:  # the layer went away under an open connection
            log.warning("%s %s: %s: %s", self.path, LAYER_DOWN, type(exc).__name__, exc)
            with suppress(Exception):  # the client may be gone too
                await send({"type": "websocket.close", "code": CLOSE_TRY_LATER,
                            "reason": LAYER_DOWN})
        finally:  # however the connection ends (closed, cancelled, failed)
            self._release()

    def _release(self) -> None:
        if self.holds_slot:
            SLOTS.release(self.kind, self.address)
            WS_CONNECTIONS.labels(self.path).dec()
            self.holds_slot = False

    async def websocket_connect(self, message: dict[str, Any]) -> None:
        self.rate = MessageRate(per_s=self.limits.messages_per_s, burst=self.limits.burst)
        self.refusals = 0
        try:
            await super().websocket_connect(message)  # joins its groups on the layer
        except REDIS_ERRORS as exc:
            log.warning("%s refused, %s: %s: %s", self.path, LAYER_DOWN, type(exc).__name__,
                        exc)
            await self.accept()
            await self.close(code=CLOSE_TRY_LATER, reason=LAYER_DOWN)

    async def connect(self) -> None:
        await self.accept()
        await self.connected()

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        self._release()
        await super().websocket_disconnect(message)

    async def close(self, code: int | None = None, reason: str | None = None) -> None:
        self.closing = True  # frames already queued behind the close are not answered
        await super().close(code=code, reason=reason)

    async def send_json(self, content: Any, close: bool = False) -> None:
        if not getattr(self, "closing", False):
            await super().send_json(content, close=close)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None,
                      **kwargs: Any) -> None:
        if getattr(self, "closing", False):
            return
        raw = text_data if text_data is not None else bytes_data or b""
        if len(raw) > self.limits.max_frame_bytes or (
                isinstance(raw, str) and len(raw.encode("utf-8", "surrogatepass"))
                > self.limits.max_frame_bytes):
            await self.close(code=CLOSE_TOO_BIG, reason=(
                f"frame over {self.limits.max_frame_bytes} bytes"))
            return
        try:
            if not self.rate.allow():
                raise RateLimited(f"more than {self.limits.messages_per_s:g} messages per "
                                  "second", retry_after_s=1)
            content = json_loads_bounded(raw, self.limits.json)
        except BrokerError as exc:
            await self.refuse(exc)
            return
        await self.message(content)

    async def refuse(self, exc: BrokerError) -> None:
        """Answer ``exc`` as an error frame; close 1008 after too many refusals."""
        self.refusals += 1
        await self.send_error(exc)
        if self.refusals >= self.limits.max_refusals:
            await self.close(code=CLOSE_POLICY, reason=(
                f"{self.limits.max_refusals} refused messages"))

    async def send_error(self, exc: BrokerError) -> None:
        await self.send_json({"type": "error", **exc.as_body()})

    async def connected(self) -> None:
        """After the handshake, inside the cap: greet, subscribe to groups …"""

    async def message(self, content: Any) -> None:
        """One JSON message within every limit."""
        raise NotImplementedError


async def _refuse_over_cap(receive: Any, send: Any, limit: int) -> None:
    """Complete the handshake only to close it 1013 with the reason (a bare refusal would
    tell the client nothing)."""
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.close", "code": CLOSE_TRY_LATER,
                "reason": f"more than {limit} connections from one address"})
