"""The same real-time guarantees when syncs run in a real Celery worker process (the running
Redis as broker and channel layer, the test database shared): one repriced H100 reaches the
H100 subscriber only, and an alert fires once per crossing, to its owner only."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from accounts.services.tokens import access_token_issue
from alerts.models import Notification
from alerts.services.alerts import alert_create
from tests.accounts.conftest import make_user
from tests.support.catalogs import H100_GPUS, H100_KEY, h100_prices, vast_catalog
from tests.support.celery_worker import CeleryStack
from tests.support.ws import QUIET_S, WAIT_S, notifications_client, offers_client


def _login(user: Any) -> Any:
    """A login (refresh family) for the user: access tokens name theirs."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import TokenFamily

    return TokenFamily.objects.create(user=user, expires_at=timezone.now() + timedelta(days=1)).pk


def _token(user: Any, **kwargs: Any) -> str:
    return access_token_issue(user=user, family_id=_login(user), **kwargs)


_atoken = sync_to_async(_token)

pytestmark = pytest.mark.django_db(transaction=True)
RESULT_S = 60


def _sync_in_worker(stack: CeleryStack, *, h100_high: bool) -> dict[str, Any]:
    vast_catalog(stack.catalogs.v7, h100_high=h100_high)
    summary = stack.send("gpubroker.sync_provider", "vast").get(timeout=RESULT_S)
    assert summary["status"] == "ok", summary
    return summary


def test_a_worker_sync_reaches_subscribers_and_alert_owners_only(
        celery_stack: CeleryStack, redis_layer: Any) -> None:
    ada, eve = make_user(), make_user(email="eve@example.com")
    high_price, low_price = h100_prices()
    limit = (high_price + low_price) / 2 / H100_GPUS
    _sync_in_worker(celery_stack, h100_high=True)
    alert = alert_create(user=ada, name="H100 deal", filters={"gpu": "H100"},
                         max_price_per_gpu_hour=limit, max_price_per_hour=None)
    alert_create(user=eve, name="A100 deal", filters={"gpu": "A100"},
                 max_price_per_gpu_hour=limit, max_price_per_hour=None)

    async def sync(h100_high: bool) -> dict[str, Any]:
        return await asyncio.get_running_loop().run_in_executor(
            None, lambda: _sync_in_worker(celery_stack, h100_high=h100_high))

    async def session() -> dict[str, Any]:
        h100, _ = await offers_client({"gpu": "H100"})
        a100, _ = await offers_client({"gpu": "A100"})
        ada_ws, _ = await notifications_client(await _atoken(ada))
        eve_ws, _ = await notifications_client(await _atoken(eve))
        seen: dict[str, Any] = {"summary": await sync(False)}
        seen["delta"] = await h100.receive_json_from(WAIT_S)
        seen["alerts"] = [await ada_ws.receive_json_from(WAIT_S)]
        await sync(False)  # unchanged: no delta, no alert
        await sync(True)  # back above the limit: a delta, no alert
        seen["back_up"] = await h100.receive_json_from(WAIT_S)
        await sync(False)  # crosses again
        seen["alerts"].append(await ada_ws.receive_json_from(WAIT_S))
        seen["again"] = await h100.receive_json_from(WAIT_S)
        seen["quiet"] = [await c.receive_nothing(QUIET_S) for c in (h100, a100, ada_ws, eve_ws)]
        for client in (h100, a100, ada_ws, eve_ws):
            await client.disconnect()
        return seen

    seen = asyncio.run(session())
    assert seen["summary"]["changed"] == 1 and seen["quiet"] == [True] * 4
    [delta] = seen["delta"]["deltas"]
    assert (delta["instance_type"], delta["region"]) == H100_KEY
    assert (delta["old_price_per_hour"], delta["new_price_per_hour"]) == (high_price, low_price)
    assert seen["back_up"]["deltas"][0]["new_price_per_hour"] == high_price
    assert [f["type"] for f in seen["alerts"]] == ["alert", "alert"]
    assert {f["alert"]["id"] for f in seen["alerts"]} == {alert.pk}
    assert all(f["offers"][0]["offer_id"] == delta["offer_id"] for f in seen["alerts"])
    assert Notification.objects.filter(user=ada).count() == 2
    assert not Notification.objects.filter(user=eve).exists()
