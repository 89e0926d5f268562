"""Saved searches: CRUD, names unique per user, other users' searches are 404."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import Api

pytestmark = pytest.mark.django_db

SEARCH = {"name": "cheap H100", "q": "gpu=H100 price<3", "filters": {"spot": False,
                                                                     "region": ["eu", "us"]}}


def test_create_list_get_update_delete(api: Api) -> None:
    created = api.post("/saved-searches", SEARCH)
    assert created.status_code == 201
    body = created.json()
    assert {k: body[k] for k in SEARCH} == SEARCH
    sid = body["id"]
    assert [s["id"] for s in api.get("/saved-searches").json()] == [sid]
    assert api.get(f"/saved-searches/{sid}").json()["q"] == SEARCH["q"]
    updated = api.patch(f"/saved-searches/{sid}", {"q": "gpu=A100"})
    assert updated.status_code == 200
    assert updated.json()["q"] == "gpu=A100" and updated.json()["name"] == "cheap H100"
    assert updated.json()["filters"] == SEARCH["filters"]
    assert api.delete(f"/saved-searches/{sid}").status_code == 204
    assert api.get(f"/saved-searches/{sid}").status_code == 404


def test_names_are_unique_per_user(api: Api, other_api: Api) -> None:
    assert api.post("/saved-searches", SEARCH).status_code == 201
    assert api.post("/saved-searches", SEARCH).status_code == 409
    assert other_api.post("/saved-searches", SEARCH).status_code == 201
    second = api.post("/saved-searches", {**SEARCH, "name": "other"}).json()["id"]
    assert api.patch(f"/saved-searches/{second}", {"name": "cheap H100"}).status_code == 409


def test_another_users_search_answers_404_to_everything(api: Api, other_api: Api) -> None:
    sid = other_api.post("/saved-searches", SEARCH).json()["id"]
    assert api.get(f"/saved-searches/{sid}").status_code == 404
    assert api.patch(f"/saved-searches/{sid}", {"q": "mine now"}).status_code == 404
    assert api.delete(f"/saved-searches/{sid}").status_code == 404
    assert api.get("/saved-searches").json() == []
    assert other_api.get(f"/saved-searches/{sid}").json()["q"] == SEARCH["q"]


@pytest.mark.parametrize("body", [
    {"name": ""}, {"name": "   "}, {"name": "x" * 101}, {"name": "a\x00b"},
    {"name": "ok", "q": "x" * 2001}, {"name": "ok", "filters": {"k": {"nested": 1}}},
    {"name": "ok", "filters": {f"k{i}": 1 for i in range(33)}},
])
def test_bad_searches_are_422(api: Api, body: dict) -> None:
    assert api.post("/saved-searches", body).status_code == 422


@pytest.mark.parametrize("sid", ["0", "-1", str(2**63), "abc"])
def test_out_of_range_ids_are_422(api: Api, sid: str) -> None:
    assert api.get(f"/saved-searches/{sid}").status_code in (404, 422)


@pytest.mark.parametrize(("body", "named"), [
    ({"name": "bad q", "q": "gpu_memory_gb>>3"}, "gpu_memory_gb>>3"),
    ({"name": "bad filter", "filters": {"colour": "blue"}}, "colour"),
    ({"name": "bad value", "filters": {"max_price": "cheap"}}, "cheap"),
    ({"name": "paging", "filters": {"per_page": 5}}, "filter names only"),
])
def test_searches_that_could_never_run_are_refused(api: Api, body: dict, named: str) -> None:
    response = api.post("/saved-searches", body)
    assert response.status_code == 400 and named in response.json()["detail"]


def test_an_update_that_breaks_the_search_is_refused(api: Api) -> None:
    sid = api.post("/saved-searches", SEARCH).json()["id"]
    response = api.patch(f"/saved-searches/{sid}", {"q": "price<<1"})
    assert response.status_code == 400
    assert api.get(f"/saved-searches/{sid}").json()["q"] == SEARCH["q"]
