"""Real-time tests get a channel layer of their own, emptied afterwards.

On Redis the key prefix names this process, so concurrent test runs (and xdist workers)
sharing one Redis database never see each other's deltas.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


@pytest.fixture(autouse=True)
def channel_layer(settings: Any) -> Iterator[Any]:
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    if "redis" in layers["default"]["BACKEND"].lower():
        layers["default"].setdefault("CONFIG", {})["prefix"] = f"asgi-test-{os.getpid()}-"
    settings.CHANNEL_LAYERS = layers  # a changed setting makes channels build a new layer
    layer = get_channel_layer()
    yield layer
    async_to_sync(layer.flush)()
