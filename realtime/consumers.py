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
Deltas reach a process once and are fanned out to its consumers there (``realtime.fanout``:
one mask and one encoded frame per distinct subscription). A consumer's delta frames wait
while it answers a subscription and sends its snapshot, then follow it; one may repeat a
change the snapshot already shows, none is lost. A client with more than
``fanout.OUTBOX_MAX`` delta frames waiting is too slow: closed 1008 (reconnect, snapshot).
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
from realtime.fanout import CLOSE_TOO_SLOW, OUTBOX_MAX, Outbox, fanout_join
from realtime.guarded import GuardedJsonConsumer
from realtime.heartbeat import heartbeat_start, task_stop
from realtime.services import serving_loop_remember
from realtime.snapshot import offers_snapshot
from realtime.subscriptions import SUBSCRIBE_EXAMPLE, subscription_filter


class OffersConsumer(GuardedJsonConsumer):
    kind = "offers"

    async def connect(self) -> None:
        self.offer_filter = OfferFilter()
        await super().connect()

    async def connected(self) -> None:
        serving_loop_remember()
        self.outbox = Outbox(lambda text: self.send(text_data=text), self._too_slow)
        self.hub = await fanout_join(self)  # before the hello: deltas from now on
        await self.send_json({"type": "hello", "subscribe_with": SUBSCRIBE_EXAMPLE})
        self.heartbeat = heartbeat_start(self.send_json)

    async def disconnect(self, code: int) -> None:
        task_stop(getattr(self, "heartbeat", None))
        if hasattr(self, "outbox"):
            self.outbox.stop()
        if hasattr(self, "hub"):
            await self.hub.leave(self)

    async def message(self, content: Any) -> None:
        try:
            offer_filter = subscription_filter(content, max_values=self.limits.max_values)
        except InvalidFilter as exc:
            await self.refuse(exc)
            return
        async with self.outbox.lock:  # delta frames selected from now on follow these
            self.offer_filter = offer_filter
            await self.send_json({"type": "subscribed", "filters": offer_filter.labels,
                                  "unknown_gpus": offer_filter.unknown_gpus})
            if content.get("snapshot"):
                await self.send_json(await database_sync_to_async(offers_snapshot)(offer_filter))

    async def _too_slow(self) -> None:
        await self.close(code=CLOSE_TOO_SLOW, reason=(
            f"too slow: more than {OUTBOX_MAX} delta frames waiting; reconnect"))

    @classmethod
    async def encode_json(cls, content: Any) -> str:
        return json.dumps(content, cls=DjangoJSONEncoder)  # offers carry datetimes
