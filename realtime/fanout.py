"""One channel per serving process takes the ``offers`` group's deltas and fans them out to
that process's ``/ws/offers/`` consumers.

With one channel per consumer in the group, each delta message was serialized, stored in
Redis, read back and decoded once per subscriber, and each consumer built its own columns to
filter it: at 1,000 subscribers and 500 deltas the p99 from commit to receipt was over 5 s
(docs/BENCHMARKS.md). Here the group holds one channel per process (the ``Hub``): a message
is decoded once, its columns are built once (``index_build`` over the fields any
subscription tests), each distinct subscription is masked once and its frame encoded once,
and identical subscriptions share that frame (orjson: tens of times faster than ``json`` on
500 deltas). Each consumer's frames go through its own ``Outbox`` (a task, so one slow
client delays nobody else), in order and after a snapshot it is sending.

A hub lives while its process has consumers on one event loop and channel layer: the first
consumer starts it (its channel joins the group before that consumer's hello is sent), the
last one stops it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol

import numpy as np
import orjson
from channels.layers import BaseChannelLayer, get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder

from market.query.filters import OfferFilter
from market.query.index import index_build
from realtime.services import GROUP, MESSAGE_TYPE

log = logging.getLogger(__name__)
OUTBOX_MAX = 100  # frames waiting for one client; beyond it the client is too slow
CLOSE_TOO_SLOW = 1008
RETRY_S = 1.0
STOP = "fanout.stop"


class Subscriber(Protocol):
    offer_filter: OfferFilter
    outbox: Outbox


class Outbox:
    """A consumer's delta frames, sent in order by their own task. ``lock`` is held while
    the consumer sends its subscription answer and snapshot, so frames queued meanwhile
    follow them. More than ``OUTBOX_MAX`` waiting: ``too_slow`` is called once."""

    def __init__(self, send: Callable[[str], Awaitable[None]],
                 too_slow: Callable[[], Coroutine[Any, Any, None]]) -> None:
        self.lock = asyncio.Lock()
        self._queue: asyncio.Queue[str] = asyncio.Queue(maxsize=OUTBOX_MAX)
        self._send, self._too_slow = send, too_slow
        self._task = asyncio.create_task(self._run())
        self._closing: asyncio.Task[None] | None = None

    def put(self, text: str) -> None:
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            if self._closing is None:
                self._closing = asyncio.create_task(self._too_slow())

    def stop(self) -> None:
        self._task.cancel()

    async def _run(self) -> None:
        while True:
            text = await self._queue.get()
            async with self.lock:
                await self._send(text)


class Hub:
    """This process's member of the ``offers`` group on one loop and layer."""

    def __init__(self, layer: BaseChannelLayer) -> None:
        self.layer = layer
        self.subscribers: set[Subscriber] = set()
        self.lock = asyncio.Lock()
        self.channel: str | None = None
        self.task: asyncio.Task[None] | None = None

    async def join(self, subscriber: Subscriber) -> None:
        async with self.lock:
            self.subscribers.add(subscriber)
            if self.task is None:
                self.channel = await self.layer.new_channel()
                await self.layer.group_add(GROUP, self.channel)
                self.task = asyncio.create_task(self._receive(self.channel))

    async def leave(self, subscriber: Subscriber) -> None:
        """The last subscriber leaving stops the hub (the next one to join restarts it)."""
        async with self.lock:
            self.subscribers.discard(subscriber)
            if self.subscribers or self.task is None or self.channel is None:
                return
            self.task = None
            await self.layer.group_discard(GROUP, self.channel)
            # ended by a message, not cancelled: channels-redis' receive can swallow a
            # cancellation (redis-py retries its timed-out blocking pop) and never return
            await self.layer.send(self.channel, {"type": STOP})

    async def _receive(self, channel: str) -> None:
        while True:
            try:
                message = await self.layer.receive(channel)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # a layer outage: retry, the consumers stay open
                log.warning("receiving offer deltas failed: %s", exc)
                await asyncio.sleep(RETRY_S)
                continue
            if message.get("type") == STOP:
                return
            if message.get("type") == MESSAGE_TYPE:
                try:
                    fan_out(message, list(self.subscribers))
                except Exception:
                    log.exception("fanning out %s deltas failed", message.get("provider"))


def fan_out(message: dict[str, Any], subscribers: list[Subscriber]) -> int:
    """Each subscriber's share of ``message`` (the deltas its filter selects) into its
    outbox, one mask and one encoding per distinct filter; the frames queued."""
    deltas = message["deltas"]
    groups: dict[str, tuple[OfferFilter, list[Subscriber]]] = {}
    for subscriber in subscribers:
        offer_filter = subscriber.offer_filter
        groups.setdefault(repr(offer_filter.conditions), (offer_filter, []))[1].append(subscriber)
    fields = frozenset().union(*(f.fields for f, _ in groups.values()))
    index = index_build(deltas, fields=fields) if fields else None
    queued = 0
    for offer_filter, members in groups.values():
        if offer_filter.conditions and index is not None:
            selected = [deltas[i] for i in np.flatnonzero(offer_filter.mask(index))]
        else:
            selected = deltas
        if not selected:
            continue
        text = orjson.dumps({"type": MESSAGE_TYPE, "provider": message["provider"],
                             "deltas": selected}, default=_ENCODER.default).decode()
        for subscriber in members:
            subscriber.outbox.put(text)
        queued += len(members)
    return queued


_ENCODER = DjangoJSONEncoder()  # what orjson does not know (Decimal, lazy text …)
_HUBS: dict[tuple[asyncio.AbstractEventLoop, BaseChannelLayer], Hub] = {}


async def fanout_join(subscriber: Subscriber) -> Hub:
    """From a consumer: receive this process's deltas from now on, until ``hub.leave``."""
    hub = _hub()
    await hub.join(subscriber)
    return hub


def _hub() -> Hub:
    """The hub of this loop and layer (a stopped one restarts when a subscriber joins)."""
    key = (asyncio.get_running_loop(), get_channel_layer())
    if key not in _HUBS:
        for stale in [k for k in _HUBS if k[0].is_closed()]:  # loops of finished tests
            del _HUBS[stale]
        _HUBS[key] = Hub(key[1])
    return _HUBS[key]
