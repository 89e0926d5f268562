"""``/api/v2/alerts``: create (filters checked by the query parser), list, get, pause,
resume, delete, notifications; owner only (another user's ids answer 404)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from django.test import Client

from accounts.plans import PLANS
from alerts.models import AlertMatch, Notification
from market.adapters.catalog import CatalogAdapter
from market.services.sync import providers_sync
from tests.accounts.conftest import PASSWORD, make_user
from tests.conftest import SKYPILOT_DIR

pytestmark = pytest.mark.django_db
ALERTS = "/api/v2/alerts"
H100 = {"name": "cheap H100", "filters": {"gpu": "H100", "q": "gpu_count>=1"},
        "max_price_per_gpu_hour": 2.5}


class Api:
    def __init__(self, email: str) -> None:
        make_user(email=email)
        self.client = Client()
        tokens = self.client.post("/api/v2/auth/login", {"email": email, "password": PASSWORD},
                                  content_type="application/json").json()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens['access_token']}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(ALERTS + path, params, **self.headers)

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return self.client.post(ALERTS + path, body or {}, content_type="application/json",
                                **self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(ALERTS + path, **self.headers)


@pytest.fixture
def ada() -> Api:
    return Api("ada@example.com")


@pytest.fixture
def eve() -> Api:
    return Api("eve@example.com")


def test_create_list_get_pause_resume_delete(ada: Api) -> None:
    with httpx.Client() as client:
        providers_sync(adapters=[CatalogAdapter("vast", str(SKYPILOT_DIR / "vast" / "vms.csv"))],
                       client=client)
    created = ada.post("/", H100)
    assert created.status_code == 201, created.content
    alert = created.json()
    assert {k: alert[k] for k in H100} == H100 and alert["status"] == "active"
    assert alert["max_price_per_hour"] is None and alert["fired_count"] == 0
    meeting = alert["offers_meeting"]
    assert meeting > 0  # armed: vast lists H100s under 2.5 USD per GPU-hour today
    assert AlertMatch.objects.filter(alert_id=alert["id"]).count() == meeting
    assert [a["id"] for a in ada.get("/").json()] == [alert["id"]]
    assert ada.get(f"/{alert['id']}").json() == alert
    paused = ada.post(f"/{alert['id']}/pause").json()
    assert paused["status"] == "paused" and paused["offers_meeting"] == 0
    resumed = ada.post(f"/{alert['id']}/resume").json()
    assert resumed["status"] == "active" and resumed["offers_meeting"] == meeting
    assert ada.delete(f"/{alert['id']}").status_code == 204
    assert ada.get(f"/{alert['id']}").status_code == 404


def test_another_users_alert_answers_404_to_everything(ada: Api, eve: Api) -> None:
    alert_id = eve.post("/", H100).json()["id"]
    for answer in (ada.get(f"/{alert_id}"), ada.post(f"/{alert_id}/pause"),
                   ada.post(f"/{alert_id}/resume"), ada.delete(f"/{alert_id}")):
        assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert ada.get("/").json() == []
    assert eve.get(f"/{alert_id}").json()["status"] == "active"


@pytest.mark.parametrize(("body", "named"), [
    ({**H100, "filters": {"q": "gpu_memory_gb>>3"}}, "gpu_memory_gb>>3"),
    ({**H100, "filters": {"colour": "red"}}, "colour"),
    ({**H100, "filters": {"sort": "price"}}, "sort"),
    ({**H100, "filters": {"country": "Atlantis"}}, "Atlantis"),
    ({"name": "no limit", "filters": {"gpu": "H100"}}, "max_price"),
])
def test_filters_the_query_parser_refuses_are_400_naming_them(ada: Api, body: dict,
                                                              named: str) -> None:
    answer = ada.post("/", body)
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_filter" and named in answer.json()["detail"]


@pytest.mark.parametrize("body", [
    {**H100, "name": ""}, {**H100, "name": "x" * 101}, {**H100, "max_price_per_gpu_hour": 0},
    {**H100, "max_price_per_gpu_hour": -1}, {**H100, "max_price_per_hour": "cheap"},
    {**H100, "filters": {"gpu": {"nested": 1}}}, {"filters": {}},
])
def test_malformed_bodies_are_422(ada: Api, body: dict) -> None:
    assert ada.post("/", body).status_code == 422


def test_without_a_token_it_is_401() -> None:
    assert Client().get(ALERTS + "/").status_code == 401


def test_notifications_are_listed_newest_first_and_marked_read(ada: Api, eve: Api) -> None:
    from alerts.models import Alert

    alert = Alert.objects.get(pk=ada.post("/", H100).json()["id"])
    eve_alert = Alert.objects.get(pk=eve.post("/", H100).json()["id"])
    mine = [_notification(alert, n) for n in range(3)]
    theirs = _notification(eve_alert, 9)
    listed = ada.get("/notifications").json()
    assert [n["id"] for n in listed] == [n.pk for n in reversed(mine)]
    assert listed[0]["alert_id"] == alert.pk and listed[0]["read_at"] is None
    read = ada.post(f"/notifications/{mine[0].pk}/read").json()
    assert read["read_at"] is not None
    assert [n["id"] for n in ada.get("/notifications", unread="true").json()] == [
        mine[2].pk, mine[1].pk]
    assert ada.post(f"/notifications/{theirs.pk}/read").status_code == 404
    assert ada.post("/notifications/read").json() == {"marked": 2}
    assert ada.get("/notifications", unread="true").json() == []
    assert eve.get("/notifications", unread="true").json()[0]["id"] == theirs.pk


def _notification(alert: Any, n: int) -> Notification:
    from django.utils import timezone

    return Notification.objects.create(user_id=alert.user_id, alert=alert,
                                       alert_name=alert.name, created_at=timezone.now(),
                                       offers=[{"offer_id": n}])


def test_alerts_count_against_the_plan(ada: Api) -> None:
    """Free allows ``PLANS["free"].alerts``; one more is 403 ``plan_limit`` naming plan and
    limit, and ``me`` shows the alerts used. Deleting one makes room again."""
    limit = PLANS["free"].alerts
    assert limit is not None
    ids = [ada.post("/", {**H100, "name": f"a{i}"}).json()["id"] for i in range(limit)]
    over = ada.post("/", {**H100, "name": "one too many"})
    assert over.status_code == 403, over.content
    body = over.json()
    assert body["code"] == "plan_limit" and body["plan"] == "Free" and body["limit"] == limit
    assert body["resource"] == "alerts" and str(limit) in body["detail"]
    me = ada.client.get("/api/v2/auth/me", **ada.headers).json()
    assert me["usage"]["alerts"] == {"limit": limit, "used": limit}
    assert ada.post(f"/{ids[0]}/pause").status_code == 200  # other POSTs are not creations
    assert ada.delete(f"/{ids[0]}").status_code == 204
    assert ada.post("/", {**H100, "name": "room again"}).status_code == 201
