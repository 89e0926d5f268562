"""Bounded WebSocket connections on ``/ws/offers/`` (``realtime.limits``).

Regressions for the probe: an 11 MB subscribe frame listing a million providers was kept
(about 100 MB per connection); 1,000 connections from one address were all accepted;
100,000 nested brackets raised RecursionError and dropped the socket without a close frame.
Every refusal here is an error frame or a close with a code and a reason.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from realtime.limits import SLOTS, ws_limits

ORIGIN = [(b"origin", b"http://localhost")]
WAIT_S = 30.0

CAP = 4

pytestmark = pytest.mark.django_db(transaction=True)


def _few_in_memory(settings: Any) -> None:
    """The cap is the subject, not the layer: in-memory receivers, a cap of CAP (not 20)."""
    settings.GPUBROKER_WS_MAX_PER_ADDRESS = CAP
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def test_the_default_cap_is_20_connections_per_address() -> None:
    assert ws_limits().per_address == 20


def _communicator(address: str = "198.51.100.7") -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/offers/", headers=ORIGIN)
    communicator.scope["client"] = (address, 50000)
    return communicator


async def _open(address: str = "198.51.100.7") -> tuple[WebsocketCommunicator, dict]:
    """Connect; the first message is the hello or the close that refused us."""
    communicator = _communicator(address)
    connected, _ = await communicator.connect(WAIT_S)
    assert connected
    return communicator, await communicator.receive_output(WAIT_S)


async def _end(communicator: WebsocketCommunicator) -> None:
    """The client side of a close: what a server tells the application."""
    await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
    await communicator.wait(WAIT_S)


async def _send_raw(text: str) -> list[dict[str, Any]]:
    communicator, hello = await _open()
    assert hello["type"] == "websocket.send"
    await communicator.send_to(text_data=text)
    answers = [await communicator.receive_output(WAIT_S)]
    await _end(communicator)
    return answers


def test_an_11_mb_frame_listing_a_million_providers_is_closed_1009() -> None:
    frame = json.dumps({"subscribe": {"provider": [f"prov{i:07d}" for i in range(1_000_000)]}})
    assert len(frame) > 11_000_000
    (answer,) = asyncio.run(_send_raw(frame))
    assert answer == {"type": "websocket.close", "code": 1009,
                      "reason": "frame over 4096 bytes"}


def test_a_subscription_over_the_value_limit_is_an_error_frame() -> None:
    frame = json.dumps({"subscribe": {"provider": ["aws"] * 65}})
    assert len(frame) < 4096
    (answer,) = asyncio.run(_send_raw(frame))
    body = json.loads(answer["text"])
    assert body["type"] == "error" and body["code"] == "too_many_values" and body["limit"] == 64


@pytest.mark.parametrize(("depth", "code"), [
    (100_000, None), (1_000, "json_too_many_items"), (20, "json_too_deep")])
def test_deep_nesting_is_answered_never_dropped(depth: int, code: str | None) -> None:
    answers = asyncio.run(_send_raw("[" * depth + "]" * depth))
    if code is None:  # over the frame limit: a close with code and reason
        assert answers == [{"type": "websocket.close", "code": 1009,
                            "reason": "frame over 4096 bytes"}]
    else:
        body = json.loads(answers[0]["text"])
        assert body["type"] == "error" and body["code"] == code


def test_1000_connections_from_one_address_meet_the_cap(settings: Any) -> None:
    _few_in_memory(settings)

    async def session() -> tuple[list[dict], int]:
        opened = [await _open("198.51.100.20") for _ in range(1000)]
        answers = [first for _, first in opened]
        held = SLOTS.count("offers", "198.51.100.20")
        for communicator, _ in opened:
            await _end(communicator)
        return answers, held

    answers, held = asyncio.run(session())
    hellos = [a for a in answers if a["type"] == "websocket.send"]
    closes = [a for a in answers if a["type"] == "websocket.close"]
    assert len(hellos) == CAP == held and len(closes) == 1000 - CAP
    assert all(c["code"] == 1013 and f"{CAP} connections" in c["reason"] for c in closes)
    assert SLOTS.count("offers", "198.51.100.20") == 0  # every slot given back


def test_other_addresses_still_connect_when_one_is_at_its_cap(settings: Any) -> None:
    _few_in_memory(settings)

    async def session() -> tuple[dict, dict]:
        full = [await _open("198.51.100.8") for _ in range(CAP)]
        refused = (await _open("198.51.100.8"))[1]
        other, hello = await _open("198.51.100.9")
        for communicator, _ in [*full, (other, hello)]:
            await _end(communicator)
        return refused, hello

    refused, hello = asyncio.run(session())
    assert refused["code"] == 1013 and hello["type"] == "websocket.send"


def test_a_message_flood_gets_error_frames_then_a_policy_close() -> None:
    async def session() -> list[dict]:
        communicator, _ = await _open()
        for _ in range(40):
            await communicator.send_to(text_data='{"subscribe": {}}')
        answers = []
        while True:
            answer = await communicator.receive_output(WAIT_S)
            answers.append(answer)
            if answer["type"] == "websocket.close":
                await _end(communicator)
                return answers

    answers = asyncio.run(session())
    bodies = [json.loads(a["text"]) for a in answers[:-1]]
    assert [b["type"] for b in bodies[:10]] == ["subscribed"] * 10  # the burst
    limited = [b for b in bodies if b["type"] == "error"]
    assert len(limited) == 20 and all(b["code"] == "rate_limited" for b in limited)
    assert answers[-1] == {"type": "websocket.close", "code": 1008,
                           "reason": "20 refused messages"}
