"""``/ws/offers/``: price deltas as syncs commit them, filtered by the client's subscription.

    server → {"type": "hello", "subscribe_with": {"subscribe": {...}}}
    client → {"subscribe": {"q": "gpu=H100 price<3", "provider": ["aws"]}}
    server → {"type": "subscribed", "filters": ["gpu=H100", "price<3", "provider=aws"],
              "unknown_gpus": []}
           | {"type": "error", "detail": "...", "code": "invalid_filter"}
    server → {"type": "offers.delta", "provider": "aws", "deltas": [{...}, ...]}

Until a client subscribes it receives every delta. A bad message is answered, never fatal.
"""

from __future__ import annotations

import json
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from common.errors import InvalidFilter
from market.query.conditions import Condition
from market.query.masks import unknown_gpus
from realtime.matching import deltas_matching
from realtime.services import GROUP, MESSAGE_TYPE, serving_loop_remember
from realtime.subscriptions import SUBSCRIBE_EXAMPLE, subscription_conditions


class OffersConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    groups = [GROUP]

    async def connect(self) -> None:
        self.conditions: list[Condition] = []
        serving_loop_remember()
        await self.accept()
        await self.send_json({"type": "hello", "subscribe_with": SUBSCRIBE_EXAMPLE})

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None,
                      **kwargs: Any) -> None:
        try:
            content = json.loads(text_data if text_data is not None else bytes_data or b"")
        except ValueError:
            await self._error(InvalidFilter("a message must be JSON, e.g. "
                                            + json.dumps(SUBSCRIBE_EXAMPLE)))
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        try:
            conditions = subscription_conditions(content)
        except InvalidFilter as exc:
            await self._error(exc)
            return
        self.conditions = conditions
        await self.send_json({"type": "subscribed", "filters": [c.label for c in conditions],
                              "unknown_gpus": _unknown_gpus(conditions)})

    async def offers_delta(self, event: dict[str, Any]) -> None:
        deltas = deltas_matching(event["deltas"], self.conditions)
        if deltas:
            await self.send_json({"type": MESSAGE_TYPE, "provider": event["provider"],
                                  "deltas": deltas})

    async def _error(self, exc: InvalidFilter) -> None:
        await self.send_json({"type": "error", **exc.as_body()})


def _unknown_gpus(conditions: list[Condition]) -> list[str]:
    names = [v for c in conditions if c.field == "gpu_name" and isinstance(c.value, tuple)
             for v in c.value]
    return unknown_gpus(names)
