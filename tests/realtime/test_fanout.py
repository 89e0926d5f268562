"""``realtime.fanout``: one group member per process, one mask and one frame per distinct
subscription, each matching subscriber exactly once, a too-slow client closed 1008; on the
in-memory layer and on channels-redis against the running Redis."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from market.query.filters import filter_compile
from realtime.fanout import OUTBOX_MAX, Outbox, fan_out
from realtime.services import GROUP, delta_messages
from tests.support.catalogs import H100_KEY, vast_catalog
from tests.support.ws import QUIET_S, WAIT_S, in_thread, offers_client, sync_catalog

pytestmark = pytest.mark.django_db(transaction=True)


async def _amembers(layer: Any) -> int:
    """Channels in the ``offers`` group, read from the layer itself."""
    if hasattr(layer, "groups"):
        return len(layer.groups.get(GROUP, {}))
    async with layer.connection(layer.consistent_hash(GROUP)) as connection:
        return int(await connection.zcard(layer._group_key(GROUP)))


def test_many_subscribers_each_get_their_delta_once_through_one_group_member(
        any_layer: Any, tmp_path: Path) -> None:
    high, low = (vast_catalog(tmp_path / "high", h100_high=True),
                 vast_catalog(tmp_path / "low", h100_high=False))

    async def session() -> tuple[int, int, list[list[dict]], list[bool]]:
        await sync_to_async(sync_catalog)(high)
        h100s = [(await offers_client({"gpu": "H100"}))[0] for _ in range(3)]
        a100s = [(await offers_client({"gpu": "A100"}))[0] for _ in range(2)]
        everything = (await offers_client({}))[0]
        members = await _amembers(any_layer)
        await in_thread(low)
        frames = [[await c.receive_json_from(WAIT_S)] for c in [*h100s, everything]]
        quiet = [await c.receive_nothing(QUIET_S) for c in [*h100s, *a100s, everything]]
        for client in [*h100s, *a100s, everything]:
            await client.disconnect()
        return members, await _amembers(any_layer), frames, quiet

    members, left, frames, quiet = asyncio.run(session())
    assert members == 1 and left == 0  # one channel for six consumers; gone with the last
    assert all(quiet)  # nothing more to anyone, nothing at all to the A100 subscribers
    for (frame,) in frames:
        [delta] = frame["deltas"]
        assert frame["type"] == "offers.delta"
        assert (delta["instance_type"], delta["region"]) == H100_KEY


class _Box:
    def __init__(self) -> None:
        self.frames: list[str] = []

    def put(self, text: str) -> None:
        self.frames.append(text)


class _Subscriber:
    def __init__(self, filters: dict[str, Any]) -> None:
        self.offer_filter = filter_compile(filters)
        self.outbox = _Box()


def test_identical_subscriptions_share_one_frame_and_match_the_evaluator(
        tmp_path: Path) -> None:
    from tests.conftest import SKYPILOT_DIR

    sync_catalog(SKYPILOT_DIR / "runpod" / "vms.csv", provider="runpod")
    results = sync_catalog(SKYPILOT_DIR / "vast" / "vms.csv")  # adds every vast offer
    (message, *_) = delta_messages(results[0])
    filters = [{"gpu": "H100"}, {"gpu": "H100"}, {"q": "price<2 gpu_count>=2"}, {},
               {"provider": ["aws"]}]
    subscribers = [_Subscriber(f) for f in filters]
    assert fan_out(message, subscribers) == 4  # the aws subscriber hears nothing of vast
    h100, h100_again, cheap, everything, aws = (s.outbox.frames for s in subscribers)
    assert h100[0] is h100_again[0] and aws == []  # one encoding for the same filter
    for subscriber in subscribers[:4]:
        [frame] = subscriber.outbox.frames
        expected = subscriber.offer_filter.select(message["deltas"])
        assert json.loads(frame) == {"type": "offers.delta", "provider": "vast",
                                     "deltas": expected}
    assert len(json.loads(everything[0])["deltas"]) == len(message["deltas"])


def test_a_client_too_slow_to_take_its_frames_is_closed_once() -> None:
    async def session() -> tuple[int, int]:
        stuck = asyncio.Event()
        closes = []

        async def send(text: str) -> None:
            await stuck.wait()  # the client reads nothing

        async def too_slow() -> None:
            closes.append(1)

        outbox = Outbox(send, too_slow)
        await asyncio.sleep(0)
        for i in range(OUTBOX_MAX + 5):
            outbox.put(str(i))
        await asyncio.sleep(0)
        waiting = outbox._queue.qsize()
        outbox.stop()
        return waiting, len(closes)

    waiting, closes = asyncio.run(session())
    assert waiting == OUTBOX_MAX - 1 and closes == 1  # one more is being sent
