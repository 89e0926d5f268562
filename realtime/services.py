"""Write, then notify: after a sync committed, its deltas go to the ``offers`` group.

One message per provider (split into chunks of ``CHUNK`` deltas), shaped
``{"type": "offers.delta", "provider": …, "deltas": [OfferDelta as dict, …]}``.

Publishing never happens inside a transaction: if a caller still holds one, the send waits
for its commit (and a rollback sends nothing). A failure to publish is logged and never
fails the sync, which has already committed.

With the in-memory layer, queues belong to the event loop that serves the WebSockets; a sync
running in another thread (``serve``'s scheduler) must send on that loop, so consumers
register it with ``serving_loop_remember``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, get_channel_layer
from django.db import transaction

from market.services.sync import SyncResult

log = logging.getLogger(__name__)
GROUP = "offers"
MESSAGE_TYPE = "offers.delta"
CHUNK = 500
SEND_TIMEOUT_S = 60.0
_serving_loop: asyncio.AbstractEventLoop | None = None


def deltas_publish(results: Sequence[SyncResult]) -> int:
    """Send the deltas of ``results`` to the ``offers`` group; the number of messages sent."""
    messages = [m for result in results for m in delta_messages(result)]
    if not messages:
        return 0
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _send_logged(messages))
        return len(messages)
    return _send_logged(messages)


def delta_messages(result: SyncResult, *, chunk: int = CHUNK) -> list[dict[str, Any]]:
    """One provider's deltas as group messages of at most ``chunk`` deltas each."""
    deltas = [d.as_dict() for d in result.deltas]
    return [{"type": MESSAGE_TYPE, "provider": result.provider, "deltas": deltas[i:i + chunk]}
            for i in range(0, len(deltas), chunk)]


def serving_loop_remember() -> None:
    """Called from a consumer: this running loop is where in-memory group sends must run."""
    global _serving_loop
    _serving_loop = asyncio.get_running_loop()


def _send_logged(messages: list[dict[str, Any]]) -> int:
    layer = get_channel_layer()
    if layer is None:
        return 0
    try:
        _run_on_serving_loop(layer, messages)
    except Exception as exc:  # the sync committed; a dead layer must not undo its success
        log.warning("publishing %d delta messages failed: %s", len(messages), exc)
        return 0
    return len(messages)


def _run_on_serving_loop(layer: BaseChannelLayer, messages: list[dict[str, Any]]) -> None:
    loop = _serving_loop
    if loop is not None and loop.is_running() and not _running_in(loop):
        future = asyncio.run_coroutine_threadsafe(_send_all(layer, messages), loop)
        future.result(timeout=SEND_TIMEOUT_S)
    else:
        async_to_sync(_send_all)(layer, messages)


async def _send_all(layer: BaseChannelLayer, messages: list[dict[str, Any]]) -> None:
    for message in messages:
        await layer.group_send(GROUP, message)


def _running_in(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
