"""deltas_publish: chunks per provider, waits for a commit, never fails a committed sync."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from market.services.deltas import OfferDelta
from market.services.sync import SyncResult
from realtime import services
from realtime.services import GROUP, delta_messages, deltas_publish


def make_delta(offer_id: int, **overrides: Any) -> OfferDelta:
    offer: dict[str, Any] = {
        "provider": "vast", "instance_type": "1x-H100", "region": "Texas, US, NA", "spot": False,
        "gpu_name": "H100-SXM", "gpu_count": 1, "price_per_hour": 1.5, "price_per_gpu_hour": 1.5,
    }
    return OfferDelta(kind="changed", offer_id=offer_id, old_price_per_hour=2.0,
                      new_price_per_hour=1.5, offer={**offer, **overrides})


def make_result(provider: str, count: int) -> SyncResult:
    return SyncResult(provider, "ok", deltas=[make_delta(i, provider=provider)
                                             for i in range(count)])


def _published_and_received(layer: Any, results: list[SyncResult],
                            quiet_s: float = 0.5) -> tuple[int, list[dict]]:
    """Publish from a worker thread while listening on the group, all on one event loop."""

    async def scenario() -> tuple[int, list[dict]]:
        channel = await layer.new_channel()
        await layer.group_add(GROUP, channel)
        sent = await sync_to_async(deltas_publish)(results)
        messages = []
        while True:
            try:
                messages.append(await asyncio.wait_for(layer.receive(channel), quiet_s))
            except TimeoutError:
                await layer.group_discard(GROUP, channel)
                return sent, messages

    return asyncio.run(scenario())


def test_messages_are_chunked_per_provider() -> None:
    messages = delta_messages(make_result("aws", 1201))
    assert [len(m["deltas"]) for m in messages] == [500, 500, 201]
    assert {m["type"] for m in messages} == {"offers.delta"}
    assert {m["provider"] for m in messages} == {"aws"}
    assert [d["offer_id"] for m in messages for d in m["deltas"]] == list(range(1201))
    assert delta_messages(make_result("aws", 0)) == []


def test_one_message_per_provider_reaches_the_group(channel_layer: Any) -> None:
    results = [make_result("aws", 3), make_result("gcp", 0), make_result("vast", 2)]
    sent, messages = _published_and_received(channel_layer, results)
    assert sent == 2
    assert [(m["provider"], len(m["deltas"])) for m in messages] == [("aws", 3), ("vast", 2)]
    assert messages[0]["deltas"][0] == make_delta(0, provider="aws").as_dict()


def test_nothing_is_sent_without_deltas(channel_layer: Any) -> None:
    results = [make_result("aws", 0), SyncResult("gcp", "failed")]
    assert _published_and_received(channel_layer, results) == (0, [])


@pytest.mark.django_db
def test_inside_a_transaction_the_send_waits_for_the_commit(
        monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any) -> None:
    sent: list[list[dict]] = []
    monkeypatch.setattr(services, "_send_logged", lambda messages: sent.append(messages) or 1)
    with django_capture_on_commit_callbacks() as callbacks:
        assert deltas_publish([make_result("aws", 1)]) == 1
        assert sent == []
    assert len(callbacks) == 1 and sent == []
    callbacks[0]()
    assert [(group, m["provider"]) for group, m in sent[0]] == [(GROUP, "aws")]


def test_a_failing_layer_is_logged_and_never_raises(monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    class Broken:
        async def group_send(self, group: str, message: dict) -> None:
            raise ConnectionError("layer down")

    monkeypatch.setattr(services, "get_channel_layer", Broken)
    with caplog.at_level(logging.WARNING, logger="realtime.services"):
        assert deltas_publish([make_result("aws", 1)]) == 0
    assert "layer down" in caplog.text


def test_a_plain_thread_sends_on_the_loop_that_serves_the_websockets(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """serve's scheduler is a thread: in-memory queues must be fed on the serving loop."""
    loops: list[asyncio.AbstractEventLoop] = []

    class Recording:
        async def group_send(self, group: str, message: dict) -> None:
            loops.append(asyncio.get_running_loop())

    monkeypatch.setattr(services, "get_channel_layer", Recording)

    async def serving() -> asyncio.AbstractEventLoop:
        services.serving_loop_remember()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, deltas_publish, [make_result("aws", 1)])
        return loop

    assert loops == [asyncio.run(serving())]
