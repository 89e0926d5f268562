"""Real-time tests get a channel layer of their own, emptied afterwards.

On Redis the key prefix names this process, so concurrent test runs (and xdist workers)
sharing one Redis never see each other's deltas, and the database is not the cache's (cache
tests FLUSHDB theirs; see ``tests.support.celery_worker.redis_url_for_tests``).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from tests.support.celery_worker import redis_url_for_tests


@pytest.fixture(autouse=True)
def channel_layer(settings: Any) -> Iterator[Any]:
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    if "redis" in layers["default"]["BACKEND"].lower():
        config = layers["default"].setdefault("CONFIG", {})
        config["prefix"] = f"asgi-test-{os.getpid()}-"
        config["hosts"] = [{**config["hosts"][0], "address": redis_url_for_tests()}]
    settings.CHANNEL_LAYERS = layers  # a changed setting makes channels build a new layer
    layer = get_channel_layer()
    yield layer
    async_to_sync(layer.flush)()
