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
from tests.support.ws import redis_layers


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


@pytest.fixture(params=["in-memory", "channels-redis"])
def any_layer(request: pytest.FixtureRequest, settings: Any, channel_layer: Any) -> Iterator[Any]:
    """Each test twice: on the in-memory layer and on channels-redis with the running Redis."""
    if request.param == "in-memory":
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    else:
        settings.CHANNEL_LAYERS = _redis_layers(settings)
    layer = get_channel_layer()
    yield layer
    async_to_sync(layer.flush)()


@pytest.fixture
def redis_layer(settings: Any, channel_layer: Any) -> Iterator[Any]:
    settings.CHANNEL_LAYERS = _redis_layers(settings)
    layer = get_channel_layer()
    yield layer
    async_to_sync(layer.flush)()


def _redis_layers(settings: Any) -> dict[str, Any]:
    url = redis_url_for_tests()
    if url is None:
        pytest.skip("no Redis answers at GPUBROKER_TEST_REDIS_URL: channels-redis needs one")
    return redis_layers(url, settings.CHANNEL_LAYERS)
