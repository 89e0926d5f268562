"""Rerunning a saved search: over the API (owner only) and from the CLI."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.conftest import Api, api, other_api, other_user, user  # noqa: F401
from tests.conftest import SKYPILOT_DIR
from tests.market.catalog_truth import expected_offers

pytestmark = pytest.mark.django_db
EXPECTED = expected_offers(SKYPILOT_DIR)
SEARCH = {"name": "cheap 8-GPU on-demand", "q": "gpu_count>=8 price<30",
          "filters": {"spot": False, "provider": ["aws", "lambda"]}}


@pytest.fixture(autouse=True)
def _snapshot(synced_snapshot) -> None:
    pass


def _run(api_: Api, search_id: int, **params) -> object:
    return Client().get(f"/api/v2/providers/saved/{search_id}", params,
                        HTTP_AUTHORIZATION=f"Bearer {api_.tokens['access_token']}")


def test_owner_reruns_a_saved_search(api: Api) -> None:  # noqa: F811
    sid = api.post("/saved-searches", SEARCH).json()["id"]
    response = _run(api, sid, per_page=500)
    assert response.status_code == 200
    body = response.json()
    expected = sum(1 for e in EXPECTED.values() if e.count >= 8 and e.price < 30 and not e.spot
                   and e.provider in ("aws", "lambda"))
    assert body["total"] == expected > 0
    assert body["search"] == {"id": sid, **SEARCH}
    prices = [o["price_per_hour"] for o in body["items"]]
    assert prices == sorted(prices)


def test_another_users_search_is_404_and_anonymous_is_401(api: Api,  # noqa: F811
                                                          other_api: Api) -> None:  # noqa: F811
    sid = api.post("/saved-searches", SEARCH).json()["id"]
    assert _run(other_api, sid).status_code == 404
    assert Client().get(f"/api/v2/providers/saved/{sid}").status_code == 401


def test_cli_reruns_a_saved_search_by_name(api: Api, capsys) -> None:  # noqa: F811
    import json

    from gpubroker.commands import offers

    api.post("/saved-searches", SEARCH)
    assert offers(["--saved", SEARCH["name"], "--user", "ada@example.com", "--json"]) == 0
    out = capsys.readouterr()
    body = json.loads(out.out)
    assert body["total"] > 0 and all(o["gpu_count"] >= 8 for o in body["items"])
    assert SEARCH["q"] in out.err
    assert offers(["--saved", "nope", "--user", "ada@example.com"]) == 2
    assert "no saved search named 'nope'" in capsys.readouterr().err
