"""After-sync notifications (write, then notify): listeners run once all providers committed.

The offer index listens here; real-time push (WebSocket deltas, alerts) too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SyncListener = Callable[[list[Any]], None]
_listeners: list[SyncListener] = []


def sync_listener_add(listener: SyncListener) -> None:
    """Call ``listener(results)`` after every sync, with one SyncResult per provider."""
    if listener not in _listeners:
        _listeners.append(listener)


def sync_finished(results: list[Any]) -> None:
    for listener in _listeners:
        listener(results)
