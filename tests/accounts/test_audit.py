"""``GET /audit``: a user sees their own security events, newest first, paged."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tests.accounts.conftest import Api, login, post

pytestmark = pytest.mark.django_db


def test_a_user_sees_only_their_own_events(api: Api, other_api: Api, user: User) -> None:
    post(Client(), "/login", {"email": user.email, "password": "wrong wrong wrong"},
         REMOTE_ADDR="192.0.2.9", HTTP_USER_AGENT="browser/1")
    events = api.get("/audit").json()
    assert [e["event"] for e in events] == ["login_failed", "login_ok"]
    assert (events[0]["ip"], events[0]["user_agent"]) == ("192.0.2.9", "browser/1")
    assert [e["event"] for e in other_api.get("/audit").json()] == ["login_ok"]


def test_audit_pages(api: Api, user: User) -> None:
    for _ in range(3):
        login(Client())
    assert len(api.get("/audit", limit=2).json()) == 2
    assert len(api.get("/audit", limit=2, offset=2).json()) == 2
    assert api.get("/audit", limit=500).status_code == 422


def test_forwarded_addresses_count_only_behind_trusted_proxies(user: User, settings) -> None:
    spoof = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.4"}
    post(Client(), "/login", {"email": user.email, "password": "wrong wrong 1"}, **spoof)
    settings.GPUBROKER_TRUSTED_PROXIES = 1
    post(Client(), "/login", {"email": user.email, "password": "wrong wrong 2"}, **spoof)
    ips = list(user.audit_events.order_by("pk").values_list("ip", flat=True))
    assert ips == ["10.0.0.1", "198.51.100.4"]
