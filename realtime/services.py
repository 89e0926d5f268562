"""Write, then notify: after a sync committed, its deltas go to the ``offers`` group, and
the alert notifications it caused to their owners' groups (``user_group``).

One message per provider (split into chunks of ``CHUNK`` deltas), shaped
``{"type": "offers.delta", "provider": …, "deltas": [OfferDelta as dict, …]}``; one message
per notification, ``{"type": "alert.notify", "alert": {…}, "offers": […], …}``.

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
ALERT_MESSAGE_TYPE = "alert.notify"
CHUNK = 500
SEND_TIMEOUT_S = 60.0
_serving_loop: asyncio.AbstractEventLoop | None = None


Message = tuple[str, dict[str, Any]]  # (group, message)


def deltas_publish(results: Sequence[SyncResult]) -> int:
    """Send the deltas of ``results`` to the ``offers`` group; the number of messages sent."""
    return _publish([(GROUP, m) for result in results for m in delta_messages(result)])


def notifications_publish(notifications: Sequence[Any]) -> int:
    """Send each alert notification to its owner's group only; the number of messages."""
    return _publish([(user_group(n.user_id), notification_message(n)) for n in notifications])


def notification_message(notification: Any) -> dict[str, Any]:
    alert = notification.alert
    return {"type": ALERT_MESSAGE_TYPE, "notification_id": notification.pk,
            "offers": notification.offers,
            "alert": {"id": alert.pk, "name": alert.name, "filters": alert.filters,
                      "max_price_per_gpu_hour": alert.max_price_per_gpu_hour,
                      "max_price_per_hour": alert.max_price_per_hour}}


def user_group(user_id: int) -> str:
    """The group of one user's ``/ws/notifications/`` sockets."""
    return f"notifications.user.{user_id}"


def _publish(messages: list[Message]) -> int:
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


def _send_logged(messages: list[Message]) -> int:
    layer = get_channel_layer()
    if layer is None:
        return 0
    try:
        _run_on_serving_loop(layer, messages)
    except Exception as exc:  # the sync committed; a dead layer must not undo its success
        log.warning("publishing %d messages failed: %s", len(messages), exc)
        return 0
    return len(messages)


def _run_on_serving_loop(layer: BaseChannelLayer, messages: list[Message]) -> None:
    loop = _serving_loop
    if loop is not None and loop.is_running() and not _running_in(loop):
        future = asyncio.run_coroutine_threadsafe(_send_all(layer, messages), loop)
        future.result(timeout=SEND_TIMEOUT_S)
    else:
        async_to_sync(_send_all)(layer, messages)


async def _send_all(layer: BaseChannelLayer, messages: list[Message]) -> None:
    for group, message in messages:
        await layer.group_send(group, message)


def _running_in(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
