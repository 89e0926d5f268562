"""Recommend and estimate agree on names; recommend groups regions; unknown GPUs say what
was meant. On the real SkyPilot snapshot."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from django.test import Client

from market.selectors import offers_matching

BASE = "/api/v2/math"
WORKLOAD = {"task": "inference", "model": "llama-3.1-70b", "precision": "fp8", "batch": 8,
            "tokens": 1e8}
FILTERS = {"gpu": ["H100", "A100"], "max_gpu_count": 8}


def post(path: str, body: dict[str, Any]) -> Any:
    return Client().post(BASE + path, body, content_type="application/json")


def _key(offer: dict[str, Any]) -> tuple[Any, ...]:
    return (offer["provider"], offer["instance_type"], offer["spot"], offer["price_per_hour"])


@pytest.fixture(scope="module")
def recommended(synced_snapshot: Any, django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock():
        grouped = post("/recommend", {"workload": WORKLOAD, "filters": FILTERS, "limit": 100})
        alone = post("/recommend", {"workload": WORKLOAD, "filters": FILTERS, "limit": 100,
                                    "group": False})
        offers = [dict(o) for o in offers_matching(FILTERS)]
    assert grouped.status_code == alone.status_code == 200, grouped.content
    return {"grouped": grouped.json(), "alone": alone.json(), "offers": offers}


@pytest.mark.django_db
def test_an_item_is_every_region_of_one_instance_at_one_price(recommended: dict) -> None:
    items = recommended["grouped"]["items"]
    assert len({_key(i["offer"]) for i in items}) == len(items)  # no two items alike
    regions: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    ids: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    for offer in recommended["offers"]:
        regions[_key(offer)].add(offer["region"])
        ids[_key(offer)].add(offer["id"])
    for item in items:
        assert set(item["regions"]) == regions[_key(item["offer"])]
        assert set(item["offer_ids"]) == ids[_key(item["offer"])]
        assert item["offer"]["region"] in item["regions"]
    assert any(len(item["regions"]) > 1 for item in items)


@pytest.mark.django_db
def test_group_false_lists_each_region_apart(recommended: dict) -> None:
    items = recommended["alone"]["items"]
    assert all(item["regions"] == [item["offer"]["region"]] for item in items)
    assert len({_key(i["offer"]) for i in items}) < len(items)  # the same instance repeats
    assert recommended["grouped"]["fitting"] == recommended["alone"]["fitting"]
    groups = {_key(g["offer"]): set(g["offer_ids"]) for g in recommended["grouped"]["items"]}
    shown = [item for item in items if _key(item["offer"]) in groups]
    assert shown and all(item["offer"]["id"] in groups[_key(item["offer"])] for item in shown)


@pytest.mark.django_db
def test_recommend_names_its_figures_as_estimate_does(recommended: dict) -> None:
    item = recommended["grouped"]["items"][0]
    offer = item["offer"]
    estimate = post("/estimate", {**WORKLOAD, "gpu": offer["gpu_name"],
                                  "gpu_count": offer["gpu_count"],
                                  "price_per_hour": offer["price_per_hour"]}).json()
    assert "tokens_per_s" not in item["estimate"]
    for name, value in item["estimate"].items():
        assert name in estimate, name
        assert value == pytest.approx(estimate[name]), name


@pytest.mark.parametrize(("path", "body", "status"), [
    ("/estimate", {"task": "inference", "model": "llama-2-7b", "gpu": "H1000"}, 400),
    ("/cost-per-token", {"price_per_hour": 2, "gpu": "H1000", "model": "llama-2-7b"}, 400),
])
def test_an_unknown_gpu_lists_the_nearest_known_names(path: str, body: dict,
                                                      status: int) -> None:
    response = post(path, body)
    assert response.status_code == status
    detail = response.json()["detail"]
    assert "'H1000'" in detail and "nearest known names: H100" in detail


def test_an_unknown_gpu_in_the_path_lists_them_too() -> None:
    response = Client().get(BASE + "/gpus/A1000")
    assert response.status_code == 404
    assert "nearest known names: A100" in response.json()["detail"]


@pytest.mark.django_db
def test_kept_estimates_change_no_answer(synced_snapshot: Any) -> None:
    """Recommend keeps each (workload, GPU, count) estimate for the process: a cold answer
    (nothing kept) and a warm one are the same, item for item, and each item's figures are
    what POST /estimate says for that offer on its own."""
    from workload.services.recommend import estimate_cached, offers_recommended

    body = {"workload": WORKLOAD, "filters": FILTERS, "limit": 40, "group": False}
    estimate_cached.cache_clear()
    cold = offers_recommended(**body)
    assert estimate_cached.cache_info().currsize > 0
    warm = offers_recommended(**body)
    assert warm == cold and len(cold["items"]) == 40
    for item in cold["items"]:
        offer = item["offer"]
        alone = post("/estimate", {**WORKLOAD, "gpu": offer["gpu_name"],
                                   "gpu_count": offer["gpu_count"],
                                   "price_per_hour": offer["price_per_hour"]}).json()
        for name, value in item["estimate"].items():
            assert value == pytest.approx(alone[name]), name


def test_rank_limit_keeps_the_order_of_the_full_ranking() -> None:
    from mathcore.estimator.ranking import rank_candidates

    rows = [{"cost": 1.0 + i % 7, "speed": 10.0 + i % 5, "headroom": float(i % 3)}
            for i in range(50)]
    weights = {"cost": 0.6, "speed": 0.3, "headroom": 0.1}
    full, notes = rank_candidates(rows, weights)
    assert rank_candidates(rows, weights, limit=7) == (full[:7], notes)
    same = [{"cost": 1.0, "speed": 1.0, "headroom": 1.0}] * 4
    assert rank_candidates(same, weights, limit=2)[0] == rank_candidates(same, weights)[0][:2]
