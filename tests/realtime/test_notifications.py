"""``/ws/notifications/``: the authentication handshake and its close codes; alerts that fire
on a real repricing reach their owner only, once per crossing, on both layers."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from prometheus_client import REGISTRY

from accounts.models import User
from accounts.services.tokens import access_token_issue
from alerts.models import Notification
from alerts.services.alerts import alert_create
from realtime.notifications import CLOSE
from tests.accounts.conftest import make_user
from tests.support.catalogs import H100_GPUS, H100_KEY, h100_prices, vast_catalog
from tests.support.ws import (
    QUIET_S,
    WAIT_S,
    closed_with,
    in_thread,
    notifications_client,
    sync_catalog,
)


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


@pytest.fixture
def ada() -> User:
    return make_user()


def _run(session: Any) -> Any:
    return asyncio.run(session())


def test_a_valid_token_authenticates(ada: User) -> None:
    async def session() -> dict:
        client, answer = await notifications_client(await _atoken(ada))
        await client.disconnect()
        return answer

    answer = _run(session)
    assert answer["type"] == "authenticated" and answer["expires_at"] > time.time()


@pytest.mark.parametrize(("path", "message", "code"), [
    ("/ws/notifications/?token=abc", None, "token_in_url"),
    ("/ws/notifications/?access_token=abc", None, "token_in_url"),
    ("/ws/notifications/", "not json", "bad_request"),
    ("/ws/notifications/", '{"token": "abc"}', "bad_request"),
    ("/ws/notifications/", '{"authenticate": ""}', "bad_request"),
    ("/ws/notifications/", '{"authenticate": "not.a.jwt"}', "invalid_token"),
])
def test_bad_openings_get_an_error_frame_and_a_clear_close_code(
        path: str, message: str | None, code: str) -> None:
    from channels.testing import WebsocketCommunicator

    from config.asgi import application
    from tests.support.ws import ORIGIN

    async def session() -> tuple[dict, int]:
        client = WebsocketCommunicator(application, path, headers=ORIGIN)
        assert (await client.connect(WAIT_S))[0]
        if message is not None:
            await client.send_to(text_data=message)
        return await client.receive_json_from(WAIT_S), await closed_with(client)

    frame, close = _run(session)
    assert frame["type"] == "error" and frame["code"] == code and frame["detail"]
    assert close == CLOSE[code]


def test_an_expired_token_closes_with_4401(ada: User, settings: Any) -> None:
    settings.JWT_LEEWAY_S = 0
    expired = _token(ada, now=int(time.time()) - settings.JWT_ACCESS_TTL_S - 5)

    async def session() -> tuple[dict, int]:
        client, answer = await notifications_client(expired)
        return answer, await closed_with(client)

    answer, close = _run(session)
    assert answer["code"] == "token_expired" and close == 4401


def test_a_token_that_expires_while_connected_closes_with_4401(ada: User, settings: Any
                                                                ) -> None:
    settings.JWT_LEEWAY_S = 0
    soon = _token(ada, now=int(time.time()) - settings.JWT_ACCESS_TTL_S + 2)

    async def session() -> tuple[dict, dict, int]:
        client, answer = await notifications_client(soon)
        return answer, await client.receive_json_from(WAIT_S), await closed_with(client)

    answer, error, close = _run(session)
    assert answer["type"] == "authenticated"
    assert error["code"] == "token_expired" and close == 4401


def test_no_authentication_in_time_closes_with_4408(settings: Any) -> None:
    settings.GPUBROKER_WS_AUTH_TIMEOUT_S = 0.3

    async def session() -> tuple[dict, int]:
        client, answer = await notifications_client(None)
        return answer, await closed_with(client)

    answer, close = _run(session)
    assert answer["code"] == "auth_timeout" and close == 4408


def test_alerts_fire_once_per_crossing_and_reach_their_owner_only(
        any_layer: Any, ada: User, tmp_path: Path) -> None:
    eve = make_user(email="eve@example.com")
    high, low = (vast_catalog(tmp_path / "high", h100_high=True),
                 vast_catalog(tmp_path / "low", h100_high=False))
    high_price, low_price = h100_prices()
    limit = (high_price + low_price) / 2 / H100_GPUS  # between the two per-GPU prices
    sync_catalog(high)
    alert = alert_create(user=ada, name="H100 deal", filters={"gpu": "H100"},
                         max_price_per_gpu_hour=limit, max_price_per_hour=None)
    alert_create(user=eve, name="A100 deal", filters={"q": "gpu=A100"},
                 max_price_per_gpu_hour=limit, max_price_per_hour=None)

    fired_before = REGISTRY.get_sample_value("gpubroker_alerts_fired_total") or 0.0

    async def session() -> tuple[list[dict], bool]:
        ada_ws, _ = await notifications_client(await _atoken(ada))
        eve_ws, _ = await notifications_client(await _atoken(eve))
        frames = []
        for version, fires in ((low, True), (low, False), (high, False), (low, True)):
            await in_thread(version)
            if fires:
                frames.append(await ada_ws.receive_json_from(WAIT_S))
            assert await ada_ws.receive_nothing(QUIET_S)
        eve_quiet = await eve_ws.receive_nothing(QUIET_S)
        await ada_ws.disconnect()
        await eve_ws.disconnect()
        return frames, eve_quiet

    frames, eve_quiet = _run(session)
    assert eve_quiet
    assert len(frames) == 2 and {f["type"] for f in frames} == {"alert"}
    for frame in frames:
        assert frame["alert"]["id"] == alert.pk and frame["alert"]["name"] == "H100 deal"
        [offer] = frame["offers"]
        assert (offer["instance_type"], offer["region"]) == H100_KEY
        assert offer["new_price_per_hour"] == low_price
        assert offer["price_per_gpu_hour"] <= limit
    stored = list(Notification.objects.filter(user=ada).order_by("pk"))
    assert [n.pk for n in stored] == [f["notification_id"] for f in frames]
    assert not Notification.objects.filter(user=eve).exists()
    assert REGISTRY.get_sample_value("gpubroker_alerts_fired_total") - fired_before == 2
