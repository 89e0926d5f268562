"""Limits for every WebSocket connection under ``/ws/``: what one client may hold and send.

``WsLimits`` (from settings) bounds a connection: frame size (a subscription is tens of
values, so ``GPUBROKER_WS_MAX_FRAME_BYTES`` is small), JSON depth and item count, values in
one subscription, messages per second (a token bucket), refused messages before the
connection is closed, and connections per client address (per process; the address
follows ``GPUBROKER_TRUSTED_PROXIES``). ``realtime.guarded.GuardedJsonConsumer`` applies them;
any consumer that subclasses it (``/ws/offers/``, ``/ws/notifications/``) gets them all.

Every refusal is an error frame ``{"type": "error", "detail", "code"}`` or a close with
a code and a reason (``CLOSE_*``), never a dropped socket.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from common.addresses import client_ip_of
from common.jsonlimits import JsonLimits

CLOSE_POLICY = 1008  # too many refused messages
CLOSE_TOO_BIG = 1009  # a frame over the size limit
CLOSE_TRY_LATER = 1013  # too many connections from this address


@dataclass(frozen=True)
class WsLimits:
    max_frame_bytes: int
    json: JsonLimits
    max_values: int
    per_address: int
    messages_per_s: float
    burst: int
    max_refusals: int


def ws_limits() -> WsLimits:
    return WsLimits(
        max_frame_bytes=settings.GPUBROKER_WS_MAX_FRAME_BYTES,
        json=JsonLimits(max_depth=settings.GPUBROKER_WS_JSON_MAX_DEPTH,
                        max_items=settings.GPUBROKER_WS_MAX_VALUES * 2),
        max_values=settings.GPUBROKER_WS_MAX_VALUES,
        per_address=settings.GPUBROKER_WS_MAX_PER_ADDRESS,
        messages_per_s=settings.GPUBROKER_WS_MESSAGES_PER_S,
        burst=settings.GPUBROKER_WS_BURST,
        max_refusals=settings.GPUBROKER_WS_MAX_REFUSALS,
    )


def ws_client_address(scope: dict[str, Any]) -> str:
    """The client's address as every per-address rule sees it ("unknown" if none)."""
    client = scope.get("client") or ("", 0)
    forwarded = next((bytes(v).decode("latin-1") for k, v in scope.get("headers", [])
                      if k.lower() == b"x-forwarded-for"), "")
    return client_ip_of(remote_addr=str(client[0]), forwarded_for=forwarded) or "unknown"


class AddressSlots:
    """Open connections per (kind, address) in this process."""

    def __init__(self) -> None:
        self._open: Counter[tuple[str, str]] = Counter()

    def acquire(self, kind: str, address: str, limit: int) -> bool:
        if self._open[(kind, address)] >= limit:
            return False
        self._open[(kind, address)] += 1
        return True

    def release(self, kind: str, address: str) -> None:
        self._open[(kind, address)] -= 1
        if self._open[(kind, address)] <= 0:
            del self._open[(kind, address)]

    def count(self, kind: str, address: str) -> int:
        return self._open[(kind, address)]


SLOTS = AddressSlots()  # consumers run on one event loop: no lock needed


@dataclass
class MessageRate:
    """Token bucket: ``burst`` messages at once, refilled at ``per_s`` a second."""

    per_s: float
    burst: int
    tokens: float = field(init=False)
    at: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens, self.at = float(self.burst), time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_s)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
