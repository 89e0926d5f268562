"""``/ws/offers/`` end to end: a real vast sync (two catalog versions) pushes its price changes.

The sync runs in a worker thread (as ``serve``'s scheduler does) while the WebSocket client
waits on the test's event loop; it commits, so the after-sync listener publishes. Works on
the in-memory layer and on Redis.
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections

from config.asgi import application
from market.adapters.catalog import CatalogAdapter
from market.services.sync import SyncResult, providers_sync
from tests.conftest import SHARED_DATA, _market_clear

HISTORY = SHARED_DATA / "catalogs" / "history" / "vast"
OLD, NEW = HISTORY / "0e7ecd677444.csv", HISTORY / "00690e7666c7.csv"
ORIGIN = [(b"origin", b"http://localhost")]
WAIT_S = 5.0
QUIET_S = 0.5

pytestmark = pytest.mark.django_db(transaction=True)


def _lowest_prices(path: Path) -> dict[tuple[str, str], float]:
    """Lowest on-demand Price per (InstanceType, Region), straight from the CSV."""
    best: dict[tuple[str, str], float] = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            key, price = (row["InstanceType"], row["Region"]), float(row["Price"])
            best[key] = min(price, best.get(key, price))
    return best


def _repriced_keys() -> set[tuple[str, str]]:
    before, after = _lowest_prices(OLD), _lowest_prices(NEW)
    return {k for k in before.keys() & after.keys() if abs(before[k] - after[k]) > 1e-9}


def _sync(path: Path) -> list[SyncResult]:
    """Run in a worker thread; its own connection is closed, or the test database stays busy."""
    try:
        with httpx.Client() as client:
            return providers_sync(adapters=[CatalogAdapter("vast", str(path))], client=client)
    finally:
        connections.close_all()


def _run(session: Callable[[], Awaitable[Any]]) -> Any:
    try:
        return asyncio.run(session())
    finally:
        _market_clear()


async def _connect() -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/offers/", headers=ORIGIN)
    connected, _ = await communicator.connect()
    assert connected
    hello = await communicator.receive_json_from(WAIT_S)
    assert hello["type"] == "hello" and "subscribe" in hello["subscribe_with"]
    return communicator


async def _subscribe(communicator: WebsocketCommunicator, filters: dict[str, Any]) -> dict:
    await communicator.send_json_to({"subscribe": filters})
    return await communicator.receive_json_from(WAIT_S)


async def _deltas_until(communicator: WebsocketCommunicator,
                        done: Callable[[list[dict]], bool]) -> list[dict]:
    """Delta messages' deltas until ``done`` holds, then proof that nothing else follows."""
    deltas: list[dict] = []
    while not done(deltas):
        message = await communicator.receive_json_from(WAIT_S)
        assert message["type"] == "offers.delta" and message["provider"] == "vast"
        deltas += message["deltas"]
    assert await communicator.receive_nothing(QUIET_S)
    return deltas


def _changed(deltas: list[dict]) -> dict[tuple[str, str], dict]:
    return {(d["instance_type"], d["region"]): d for d in deltas if d["kind"] == "changed"}


def test_a_sync_pushes_exactly_its_price_changes() -> None:
    async def session() -> tuple[list[SyncResult], list[dict]]:
        await sync_to_async(_sync)(OLD)
        communicator = await _connect()
        # a plain thread, like serve's scheduler: no asgiref link back to this loop
        results = await asyncio.get_running_loop().run_in_executor(None, _sync, NEW)
        expected = len(results[0].deltas)
        deltas = await _deltas_until(communicator, lambda got: len(got) >= expected)
        await communicator.disconnect()
        return results, deltas

    results, deltas = _run(session)
    changed = _changed(deltas)
    assert changed.keys() == _repriced_keys() != set()
    before, after = _lowest_prices(OLD), _lowest_prices(NEW)
    assert all(d["old_price_per_hour"] == pytest.approx(before[k]) and
               d["new_price_per_hour"] == pytest.approx(after[k]) for k, d in changed.items())
    assert deltas == [d.as_dict() for d in results[0].deltas]
    assert {d["kind"] for d in deltas} == {"added", "changed", "removed"}


def test_a_subscriber_receives_only_matching_deltas() -> None:
    async def session() -> tuple[dict, list[dict], list[SyncResult]]:
        await sync_to_async(_sync)(OLD)
        communicator = await _connect()
        ack = await _subscribe(communicator, {"q": "gpu_count>=2"})
        results = await sync_to_async(_sync)(NEW)
        expected = sum(d.offer["gpu_count"] >= 2 for d in results[0].deltas)
        deltas = await _deltas_until(communicator, lambda got: len(got) >= expected)
        await communicator.disconnect()
        return ack, deltas, results

    ack, deltas, results = _run(session)
    assert ack == {"type": "subscribed", "filters": ["gpu_count>=2"], "unknown_gpus": []}
    assert deltas and all(d["gpu_count"] >= 2 for d in deltas)
    assert deltas == [d.as_dict() for d in results[0].deltas if d.offer["gpu_count"] >= 2]
    assert _changed(deltas).keys() < _repriced_keys()


def test_a_sync_that_changes_nothing_publishes_nothing() -> None:
    async def session() -> list[SyncResult]:
        await sync_to_async(_sync)(OLD)
        communicator = await _connect()
        results = await sync_to_async(_sync)(OLD)
        assert await communicator.receive_nothing(QUIET_S)
        await communicator.disconnect()
        return results

    assert _run(session)[0].deltas == []


@pytest.mark.parametrize(("message", "named"), [
    ({"subscribe": {"q": "gpu_memory_gb>>3"}}, "gpu_memory_gb>>3"),
    ({"subscribe": {"q": "price<3 colour=red"}}, "colour"),
    ({"subscribe": {"max_prize": 3}}, "max_prize"),
    ({"subscribe": {"sort": "price"}}, "sort"),
    ({"subscribe": {"min_gpu_count": {"a": 1}}}, "min_gpu_count"),
    ({"subscribe": "gpu=H100"}, "subscribe"),
    ({"unsubscribe": True}, "subscribe"),
])
def test_a_bad_subscription_is_answered_with_an_error_naming_it(message: Any, named: str) -> None:
    async def session() -> tuple[dict, dict]:
        communicator = await _connect()
        error = await _subscribe_raw(communicator, message)
        after = await _subscribe(communicator, {"gpu": "H100"})  # still connected and usable
        await communicator.disconnect()
        return error, after

    error, after = asyncio.run(session())
    assert error["type"] == "error" and error["code"] == "invalid_filter"
    assert named in error["detail"]
    assert after["type"] == "subscribed" and after["filters"] == ["gpu=H100"]


def test_a_message_that_is_not_json_is_answered_too() -> None:
    async def session() -> dict:
        communicator = await _connect()
        await communicator.send_to(text_data="gpu=H100")
        answer = await communicator.receive_json_from(WAIT_S)
        await communicator.disconnect()
        return answer

    answer = asyncio.run(session())
    assert answer["type"] == "error" and "JSON" in answer["detail"]


def test_a_foreign_origin_and_an_unknown_path_are_refused() -> None:
    async def refused(path: str, origin: bytes) -> bool:
        communicator = WebsocketCommunicator(application, path, headers=[(b"origin", origin)])
        connected, _ = await communicator.connect()
        return not connected

    assert asyncio.run(refused("/ws/offers/", b"http://evil.example"))
    assert asyncio.run(refused("/ws/nothing/", b"http://localhost"))


async def _subscribe_raw(communicator: WebsocketCommunicator, message: Any) -> dict:
    await communicator.send_json_to(message)
    return await communicator.receive_json_from(WAIT_S)
