"""``/ws/offers/``: price deltas as syncs commit them, filtered by the client's subscription.

    server → {"type": "hello", "subscribe_with": {"subscribe": {...}}}
    client → {"subscribe": {"q": "gpu=H100 price<3", "provider": ["aws"]}, "snapshot": true}
    server → {"type": "subscribed", "filters": ["gpu=H100", "price<3", "provider=aws"],
              "unknown_gpus": []}
           | {"type": "error", "detail": "...", "code": "invalid_filter"}
    server → {"type": "snapshot", "items": [...], "total": N}     (if asked: first 500 by price)
    server → {"type": "offers.delta", "provider": "aws", "deltas": [{...}, ...]}
    server → {"type": "heartbeat"}                                  (every 30 s)

Until a client subscribes it receives every delta. A bad message is answered, never fatal.
A consumer handles one message at a time, so deltas published while a snapshot is read wait
and follow it; one may repeat a change the snapshot already shows, none is lost.
Every connection is within ``realtime.limits`` (frame size, values per subscription,
messages per second, connections per address), which ``GuardedJsonConsumer`` enforces.
"""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from django.core.serializers.json import DjangoJSONEncoder

from common.errors import InvalidFilter
from market.query.filters import OfferFilter
from realtime.guarded import GuardedJsonConsumer
from realtime.heartbeat import heartbeat_start, task_stop
from realtime.services import GROUP, MESSAGE_TYPE, serving_loop_remember
from realtime.snapshot import offers_snapshot
from realtime.subscriptions import SUBSCRIBE_EXAMPLE, subscription_filter


class OffersConsumer(GuardedJsonConsumer):
    kind = "offers"
    groups = [GROUP]

    async def connect(self) -> None:
        self.offer_filter = OfferFilter()
        await super().connect()

    async def connected(self) -> None:
        serving_loop_remember()
        await self.send_json({"type": "hello", "subscribe_with": SUBSCRIBE_EXAMPLE})
        self.heartbeat = heartbeat_start(self.send_json)

    async def disconnect(self, code: int) -> None:
        task_stop(getattr(self, "heartbeat", None))

    async def message(self, content: Any) -> None:
        try:
            offer_filter = subscription_filter(content, max_values=self.limits.max_values)
        except InvalidFilter as exc:
            await self.refuse(exc)
            return
        self.offer_filter = offer_filter
        await self.send_json({"type": "subscribed", "filters": offer_filter.labels,
                              "unknown_gpus": offer_filter.unknown_gpus})
        if content.get("snapshot"):
            await self.send_json(await database_sync_to_async(offers_snapshot)(offer_filter))

    async def offers_delta(self, event: dict[str, Any]) -> None:
        deltas = self.offer_filter.select(event["deltas"])
        if deltas:
            await self.send_json({"type": MESSAGE_TYPE, "provider": event["provider"],
                                  "deltas": deltas})

    @classmethod
    async def encode_json(cls, content: Any) -> str:
        return json.dumps(content, cls=DjangoJSONEncoder)  # offers carry datetimes
