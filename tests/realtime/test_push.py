"""``/ws/offers/`` with real catalog versions, on the in-memory layer and on channels-redis:
a sync that reprices one H100 (vast, 8.00 → 7.20 USD/h, two real versions of its catalog)
reaches an H100 subscriber as exactly one delta and an A100 subscriber not at all; a
snapshot comes before the deltas."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from market.query.filters import OfferFilter, filter_compile
from market.query.search import offers_search
from tests.support.catalogs import H100_KEY, h100_prices, vast_catalog
from tests.support.ws import QUIET_S, WAIT_S, in_thread, offers_client, sync_catalog

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """(the H100 at its high price, the same catalog with it at its low price)."""
    return (vast_catalog(tmp_path / "high", h100_high=True),
            vast_catalog(tmp_path / "low", h100_high=False))


def _h100_delta(delta: dict[str, Any]) -> None:
    high, low = h100_prices()
    assert delta["kind"] == "changed"
    assert (delta["instance_type"], delta["region"]) == H100_KEY
    assert (delta["old_price_per_hour"], delta["new_price_per_hour"]) == (high, low)


def test_one_h100_repriced_reaches_the_h100_subscriber_only(
        any_layer: Any, versions: tuple[Path, Path]) -> None:
    high, low = versions

    async def session() -> tuple[list, dict, bool, bool]:
        await sync_to_async(sync_catalog)(high)
        h100, _ = await offers_client({"gpu": "H100"})
        a100, _ = await offers_client({"gpu": "A100"})
        results = await in_thread(low)
        frame = await h100.receive_json_from(WAIT_S)
        quiet = (await h100.receive_nothing(QUIET_S), await a100.receive_nothing(QUIET_S))
        await h100.disconnect()
        await a100.disconnect()
        return results, frame, *quiet

    results, frame, h100_quiet, a100_quiet = asyncio.run(session())
    assert len(results[0].deltas) == 1  # the sync changed one offer, nothing else
    assert frame["type"] == "offers.delta" and len(frame["deltas"]) == 1
    _h100_delta(frame["deltas"][0])
    assert h100_quiet and a100_quiet
    a100_offers = offers_search(offer_filter=filter_compile({"gpu": "A100"})).total
    assert a100_offers > 0  # the A100 subscriber had offers to hear about, just no change


def test_a_snapshot_comes_first_then_the_deltas(any_layer: Any,
                                                versions: tuple[Path, Path]) -> None:
    high, low = versions

    async def session() -> list[dict]:
        await sync_to_async(sync_catalog)(high)
        client, _ = await offers_client()
        sync = asyncio.ensure_future(in_thread(low))  # races the subscription on purpose
        await client.send_json_to({"subscribe": {"gpu": "H100"}, "snapshot": True})
        frames = [await client.receive_json_from(WAIT_S) for _ in range(3)]
        await sync
        assert await client.receive_nothing(QUIET_S)
        await client.disconnect()
        return frames

    subscribed, snapshot, delta = asyncio.run(session())
    assert [subscribed["type"], snapshot["type"], delta["type"]] == [
        "subscribed", "snapshot", "offers.delta"]
    expected = offers_search(offer_filter=filter_compile({"gpu": "H100"}), per_page=500)
    assert snapshot["total"] == expected.total == len(snapshot["items"]) > 1
    prices = [o["price_per_hour"] for o in snapshot["items"]]
    assert prices == sorted(prices) and all("H100" in o["gpu_name"] for o in snapshot["items"])
    assert {o["id"] for o in snapshot["items"]} == {o["id"] for o in expected.items}
    _h100_delta(delta["deltas"][0])


def test_a_snapshot_holds_at_most_500_offers_cheapest_first(any_layer: Any) -> None:
    from tests.conftest import SKYPILOT_DIR

    async def session() -> dict:
        await sync_to_async(sync_catalog)(SKYPILOT_DIR / "runpod" / "vms.csv")
        client, frames = await offers_client({}, snapshot=True)
        snapshot = await client.receive_json_from(WAIT_S)
        await client.disconnect()
        return snapshot

    snapshot = asyncio.run(session())
    everything = offers_search(offer_filter=OfferFilter(), per_page=500)
    assert snapshot["total"] == everything.total > 500 and len(snapshot["items"]) == 500
    assert [o["id"] for o in snapshot["items"]] == [o["id"] for o in everything.items]


def test_a_heartbeat_arrives_on_a_quiet_connection(any_layer: Any, settings: Any) -> None:
    settings.GPUBROKER_WS_HEARTBEAT_S = 0.2

    async def session() -> list[dict]:
        client, _ = await offers_client({"gpu": "H100"})
        beats = [await client.receive_json_from(WAIT_S) for _ in range(2)]
        await client.disconnect()
        return beats

    assert asyncio.run(session()) == [{"type": "heartbeat"}] * 2


@pytest.mark.parametrize("message", [{"subscribe": {}, "snapshot": "yes"},
                                     {"subscribe": {}, "snapshot": True, "extra": 1}])
def test_a_bad_snapshot_request_is_answered(message: dict) -> None:
    async def session() -> dict:
        client, _ = await offers_client()
        await client.send_json_to(message)
        answer = await client.receive_json_from(WAIT_S)
        await client.disconnect()
        return answer

    answer = asyncio.run(session())
    assert answer["type"] == "error" and answer["code"] == "invalid_filter"
