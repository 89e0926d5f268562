"""WebSocket clients against the ASGI app, and syncs run the way ``serve``'s scheduler does.

``sync_catalog`` runs in a plain thread (``run_in_executor``) while clients wait on the
test's event loop; it commits, so the after-sync listeners publish for real.
"""

from __future__ import annotations

import asyncio
import copy
import os
from pathlib import Path
from typing import Any

import httpx
from channels.testing import WebsocketCommunicator
from django.db import connections

from config.asgi import application
from market.adapters.catalog import CatalogAdapter
from market.services.sync import SyncResult, providers_sync

ORIGIN = [(b"origin", b"http://localhost")]
WAIT_S = 10.0
QUIET_S = 1.0


def redis_layers(url: str, settings_layers: dict[str, Any]) -> dict[str, Any]:
    """channels-redis on ``url``, with this process's prefix (the settings' own options)."""
    layers = copy.deepcopy(settings_layers)
    host = {"socket_timeout": 15}
    if "redis" in layers["default"]["BACKEND"].lower():
        host = {**layers["default"]["CONFIG"]["hosts"][0]}
    return {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                        "CONFIG": {"hosts": [{**host, "address": url}],
                                   "prefix": f"asgi-test-{os.getpid()}-"}}}


def sync_catalog(path: Path, provider: str = "vast") -> list[SyncResult]:
    """Sync ``provider`` from one catalog file; the thread's connection is closed after."""
    try:
        with httpx.Client() as client:
            return providers_sync(adapters=[CatalogAdapter(provider, str(path))], client=client)
    finally:
        connections.close_all()


async def in_thread(path: Path) -> list[SyncResult]:
    """``sync_catalog`` in a plain thread, as the embedded scheduler runs it."""
    return await asyncio.get_running_loop().run_in_executor(None, sync_catalog, path)


async def offers_client(filters: dict[str, Any] | None = None, *,
                        snapshot: bool = False) -> tuple[WebsocketCommunicator, list[dict]]:
    """A ``/ws/offers/`` client, subscribed to ``filters`` if given; the frames after hello."""
    communicator = WebsocketCommunicator(application, "/ws/offers/", headers=ORIGIN)
    connected, _ = await communicator.connect(WAIT_S)
    assert connected
    assert (await communicator.receive_json_from(WAIT_S))["type"] == "hello"
    frames: list[dict] = []
    if filters is not None:
        message: dict[str, Any] = {"subscribe": filters}
        if snapshot:
            message["snapshot"] = True
        await communicator.send_json_to(message)
        frames.append(await communicator.receive_json_from(WAIT_S))
        assert frames[0]["type"] == "subscribed", frames[0]
    return communicator, frames


async def notifications_client(token: str | None, path: str = "/ws/notifications/"
                               ) -> tuple[WebsocketCommunicator, dict]:
    """A ``/ws/notifications/`` client that sent ``{"authenticate": token}``; the answer."""
    communicator = WebsocketCommunicator(application, path, headers=ORIGIN)
    connected, _ = await communicator.connect(WAIT_S)
    assert connected
    if token is not None:
        await communicator.send_json_to({"authenticate": token})
    return communicator, await communicator.receive_json_from(WAIT_S)


async def closed_with(communicator: WebsocketCommunicator) -> int:
    """The close code the server sent next. Then the client's side of the close, as a server
    tells the application, so the consumer ends inside the test (not cancelled, with its
    channel-layer receive pending, when the test's event loop closes)."""
    output = await communicator.receive_output(WAIT_S)
    assert output["type"] == "websocket.close", output
    await communicator.send_input({"type": "websocket.disconnect", "code": output["code"]})
    await communicator.wait(WAIT_S)
    return int(output["code"])
