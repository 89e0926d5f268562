"""``/ws/notifications/`` inside ``realtime.limits``, like ``/ws/offers/``: an oversized frame
closes 1009, a flood gets error frames then a 1008 close, too many connections from one
address close 1013 (counted apart from ``/ws/offers/``); on the in-memory layer and on
channels-redis against the running Redis."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from accounts.models import User
from config.asgi import application
from realtime.limits import SLOTS
from tests.accounts.conftest import make_user
from tests.realtime.test_notifications import _token
from tests.support.ws import ORIGIN, WAIT_S, closed_with

pytestmark = pytest.mark.django_db(transaction=True)
CAP = 4
_atoken = sync_to_async(_token)


@pytest.fixture
def ada() -> User:
    return make_user()


def _communicator(path: str, address: str) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path, headers=ORIGIN)
    communicator.scope["client"] = (address, 50000)
    return communicator


async def _authenticated(token: str, address: str = "198.51.100.30"
                         ) -> WebsocketCommunicator:
    client = _communicator("/ws/notifications/", address)
    assert (await client.connect(WAIT_S))[0]
    await client.send_json_to({"authenticate": token})
    assert (await client.receive_json_from(WAIT_S))["type"] == "authenticated"
    return client


async def _end(communicator: WebsocketCommunicator) -> None:
    await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
    await communicator.wait(WAIT_S)


@pytest.mark.parametrize("authenticated", [False, True])
def test_a_frame_over_the_limit_closes_1009(any_layer: Any, ada: User,
                                            authenticated: bool) -> None:
    frame = json.dumps({"authenticate": "x" * 100_000})

    async def session() -> dict:
        if authenticated:
            client = await _authenticated(await _atoken(ada))
        else:
            client = _communicator("/ws/notifications/", "198.51.100.31")
            assert (await client.connect(WAIT_S))[0]
        await client.send_to(text_data=frame)
        answer = await client.receive_output(WAIT_S)
        await _end(client)
        return answer

    assert asyncio.run(session()) == {"type": "websocket.close", "code": 1009,
                                      "reason": "frame over 4096 bytes"}


def test_a_deep_first_message_is_a_bad_first_message(any_layer: Any) -> None:
    async def session() -> tuple[dict, int]:
        client = _communicator("/ws/notifications/", "198.51.100.32")
        assert (await client.connect(WAIT_S))[0]
        await client.send_to(text_data="[" * 20 + "]" * 20)
        frame, close = await client.receive_json_from(WAIT_S), await closed_with(client)
        await _end(client)
        return frame, close

    frame, close = asyncio.run(session())
    assert frame["code"] == "bad_request" and "nested deeper" in frame["detail"]
    assert close == 4400


def test_a_flood_gets_error_frames_then_a_policy_close(any_layer: Any, ada: User,
                                                      settings: Any) -> None:
    settings.GPUBROKER_WS_MESSAGES_PER_S = 0.01  # after the burst, every message is over it

    async def session() -> list[dict]:
        client = await _authenticated(await _atoken(ada))
        for _ in range(40):
            await client.send_to(text_data='{"hello": 1}')
        answers = []
        while True:
            answer = await client.receive_output(WAIT_S)
            answers.append(answer)
            if answer["type"] == "websocket.close":
                await _end(client)
                return answers

    answers = asyncio.run(session())
    bodies = [json.loads(a["text"]) for a in answers[:-1]]
    assert all(b["type"] == "error" for b in bodies) and len(bodies) == 20
    # the burst of 10 less the authenticate message, then the rate
    assert [b["code"] for b in bodies] == ["bad_request"] * 9 + ["rate_limited"] * 11
    assert "only sends" in bodies[0]["detail"]
    assert answers[-1] == {"type": "websocket.close", "code": 1008,
                           "reason": "20 refused messages"}


def test_too_many_connections_from_one_address_close_1013(any_layer: Any, ada: User,
                                                          settings: Any) -> None:
    settings.GPUBROKER_WS_MAX_PER_ADDRESS = CAP
    address = "198.51.100.33"

    async def session() -> tuple[list[dict], int, dict, dict]:
        token = await _atoken(ada)
        held = [await _authenticated(token, address) for _ in range(CAP)]
        refused = []
        for _ in range(3):
            client = _communicator("/ws/notifications/", address)
            assert (await client.connect(WAIT_S))[0]
            refused.append(await client.receive_output(WAIT_S))
        count = SLOTS.count("notifications", address)
        offers = _communicator("/ws/offers/", address)  # counted apart
        assert (await offers.connect(WAIT_S))[0]
        hello = await offers.receive_json_from(WAIT_S)
        await _end(held.pop())
        again = await _authenticated(token, address)  # a slot given back is usable
        for client in [*held, again, offers]:
            await _end(client)
        return refused, count, hello, {"left": SLOTS.count("notifications", address)}

    refused, count, hello, left = asyncio.run(session())
    assert count == CAP and hello["type"] == "hello" and left == {"left": 0}
    assert all(r == {"type": "websocket.close", "code": 1013,
                     "reason": f"more than {CAP} connections from one address"}
               for r in refused)
