"""GET /providers/ writes its page straight from the index's rows (market.api.page_response):
byte for byte what Ninja's OfferPageOut validation and dump would write, on every page of the
real snapshot, an empty page with relaxations, and a text query."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from common.jsonout import json_bytes
from market import selectors
from market.api import page_response
from market.schemas import OfferPageOut


def _as_ninja_writes(page: Any) -> bytes:
    return json_bytes(OfferPageOut.model_validate(page.as_dict()).model_dump())


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"gpu": ["H100"]}, {"gpu": ["H200"], "max_price": 0.1},
                                    {"q": "gpu_memory_gb>=40 spot=true"}])
def test_every_page_is_what_the_schema_writes(synced_snapshot: Any,
                                               params: dict[str, Any]) -> None:
    first = selectors.offers_page(params=params, sort="price_per_hour", page=1, per_page=500)
    pages = max(1, -(-first.total // 500))
    for number in range(1, pages + 1):
        page = selectors.offers_page(params=params, sort="-price_per_gpu_hour", page=number,
                                     per_page=500)
        assert page_response(page).content == _as_ninja_writes(page)
    if params.get("max_price") == 0.1:
        assert first.total == 0 and first.relaxations  # the relaxations' own fields only


@pytest.mark.django_db
def test_the_endpoint_answers_json_with_its_page(synced_snapshot: Any) -> None:
    response = Client().get("/api/v2/providers/?gpu=H100&per_page=50")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    page = selectors.offers_page(params={"gpu": ["H100"]}, sort="price_per_hour", page=1,
                                 per_page=50)
    assert response.content == _as_ninja_writes(page)
