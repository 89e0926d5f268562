"""Listeners told about new notifications once they are committed (write, then notify).

``realtime`` listens here to push them over ``/ws/notifications/``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

NotificationListener = Callable[[Sequence[Any]], None]
_listeners: list[NotificationListener] = []


def notification_listener_add(listener: NotificationListener) -> None:
    """Call ``listener(notifications)`` after each sync that fired alerts."""
    if listener not in _listeners:
        _listeners.append(listener)


def notifications_created(notifications: Sequence[Any]) -> None:
    for listener in _listeners:
        listener(notifications)
