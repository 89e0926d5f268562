"""Plans: Free / Pro / Enterprise limits, enforced with 403 or 429 naming plan and limit;
``me`` shows the plan and usage; operators assign plans with ``gpubroker plan``."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from accounts.plans import PLANS, Plan
from market.models import SavedSearch
from tests.accounts.conftest import PASSWORD, Api

pytestmark = pytest.mark.django_db


def test_me_shows_the_plan_and_usage(api: Api) -> None:
    assert api.post("/saved-searches", {"name": "a", "q": "gpu=H100"}).status_code == 201
    me = api.get("/me").json()
    assert me["plan"]["key"] == "free" and me["plan"]["name"] == "Free"
    assert me["usage"]["saved_searches"] == {"limit": PLANS["free"].saved_searches, "used": 1}
    assert me["usage"]["api_tokens"]["used"] == 0
    assert me["usage"]["api_requests_per_min"]["used"] >= 1  # this very request counts


def test_api_token_limit_names_the_plan(api: Api) -> None:
    limit = PLANS["free"].api_tokens
    assert limit is not None
    for i in range(limit):
        assert api.post("/tokens", {"name": f"t{i}", "password": PASSWORD}).status_code == 201
    over = api.post("/tokens", {"name": "one too many", "password": PASSWORD})
    assert over.status_code == 403
    body = over.json()
    assert body["code"] == "plan_limit" and body["plan"] == "Free" and body["limit"] == limit
    assert "Free" in body["detail"] and str(limit) in body["detail"]


def test_saved_search_limit(api: Api, user: User, settings: Any) -> None:
    user.plan = "pro"
    user.save()
    limit = PLANS["pro"].saved_searches
    assert limit is not None
    SavedSearch.objects.bulk_create(SavedSearch(user=user, name=f"s{i}") for i in range(limit))
    over = api.post("/saved-searches", {"name": "last", "q": "gpu=H100"})
    assert over.status_code == 403 and over.json()["plan"] == "Pro"


def test_requests_per_minute_follow_the_plan(api: Api, monkeypatch: Any) -> None:
    small = Plan(name="Free", saved_searches=1, alerts=1, api_tokens=1,
                 api_requests_per_min=3, live_queries_per_day=1)
    monkeypatch.setitem(PLANS, "free", small)
    statuses = [api.get("/me").status_code for _ in range(4)]
    assert statuses[:2] == [200, 200] and statuses[-1] == 429  # the fixture's login counted
    over = api.get("/me")
    assert over.json()["plan"] == "Free" and over.json()["limit"] == 3
    assert int(over["Retry-After"]) >= 1


def test_live_queries_per_day_follow_the_plan(api: Api, monkeypatch: Any) -> None:
    small = Plan(name="Free", saved_searches=1, alerts=1, api_tokens=1,
                 api_requests_per_min=100, live_queries_per_day=2)
    monkeypatch.setitem(PLANS, "free", small)
    client, headers = Client(), {"HTTP_AUTHORIZATION": f"Bearer {api.tokens['access_token']}"}
    answers = [client.get("/api/v2/providers/live", {"provider": "lambda-api"}, **headers)
               for _ in range(3)]
    assert [a.status_code for a in answers][:2] != [429, 429]
    assert answers[2].status_code == 429
    assert answers[2].json()["resource"] == "live_queries_per_day"


def test_the_plan_command_assigns_a_plan(user: User) -> None:
    out = StringIO()
    call_command("plan", user.email, "enterprise", stdout=out)
    user.refresh_from_db()
    assert user.plan == "enterprise" and "Enterprise" in out.getvalue()
    assert "saved_searches: 0 of unlimited" in out.getvalue()


def test_plans_are_sane() -> None:
    assert list(PLANS) == ["free", "pro", "enterprise"]
    with pytest.raises(ValueError):
        Plan(name="bad", saved_searches=-1, alerts=1, api_tokens=1, api_requests_per_min=1,
             live_queries_per_day=1)


def test_anonymous_requests_are_not_planned(db: None) -> None:
    assert Client().get("/api/v2/auth/me").status_code == 401
