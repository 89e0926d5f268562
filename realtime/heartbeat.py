"""A heartbeat frame every ``GPUBROKER_WS_HEARTBEAT_S`` seconds (30), so that clients and
proxies see a quiet connection is alive: ``{"type": "heartbeat"}``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from django.conf import settings

HEARTBEAT = {"type": "heartbeat"}


def heartbeat_start(send: Callable[[dict[str, Any]], Awaitable[None]]) -> asyncio.Task[None]:
    """Send heartbeats with ``send`` until the returned task is cancelled."""
    return asyncio.create_task(_beat(send, float(settings.GPUBROKER_WS_HEARTBEAT_S)))


def task_stop(task: asyncio.Task[Any] | None) -> None:
    if task is not None and not task.done():
        task.cancel()


async def _beat(send: Callable[[dict[str, Any]], Awaitable[None]], every_s: float) -> None:
    while True:
        await asyncio.sleep(every_s)
        await send(HEARTBEAT)
