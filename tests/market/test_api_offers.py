"""`/api/v2/providers/` on the real snapshot; expectations come from the CSVs themselves."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.conftest import SKYPILOT_DIR
from tests.market.catalog_truth import Expected, expected_offers, whole_gpus

pytestmark = pytest.mark.django_db
STORED = expected_offers(SKYPILOT_DIR)
EXPECTED = whole_gpus(STORED)  # what queries show: fractional GPUs (Azure NVv4) left out
URL = "/api/v2/providers/"


@pytest.fixture(autouse=True)
def _snapshot(synced_snapshot) -> None:
    pass


def _get(**params) -> dict:
    response = Client().get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def _count(keep: Callable[[Expected], bool]) -> int:
    return sum(1 for e in EXPECTED.values() if keep(e))


def test_config_lists_all_nineteen_clouds_with_offers() -> None:
    listed = Client().get(URL + "config").json()["providers"]
    providers = [p for p in listed if p["kind"] == "catalog"]  # live APIs are listed too
    assert len(providers) == 19
    for p in providers:
        expected = sum(1 for e in STORED.values() if e.provider == p["name"])
        assert (p["status"], p["offers"], p["kind"]) == ("ok", expected, "catalog"), p["name"]
        assert p["enabled"] and p["last_sync"] and p["error"] is None


def test_no_filter_returns_every_offer() -> None:
    body = _get(per_page=1)
    assert body["total"] == len(EXPECTED)
    assert (body["page"], body["per_page"], body["warnings"]) == (1, 1, [])


def test_fractional_true_adds_the_fractional_gpus() -> None:
    fractional = {k for k, e in STORED.items() if e.fraction < 1}
    assert len(fractional) == 36  # Azure NVv4: 3 partial sizes x regions x on-demand/spot
    assert _get(per_page=1, fractional="true")["total"] == len(STORED)
    items = _get(per_page=500, q="gpu_fraction<1")["items"]
    assert {(o["provider"], o["instance_type"], o["region"], o["spot"]) for o in items} == \
        fractional
    assert all(o["gpu_fraction"] == STORED[(o["provider"], o["instance_type"], o["region"],
                                            o["spot"])].fraction for o in items)


@pytest.mark.parametrize(("params", "keep"), [
    ({"provider": "lambda"}, lambda e: e.provider == "lambda"),
    ({"provider": ["lambda", "vast"]}, lambda e: e.provider in ("lambda", "vast")),
    ({"provider": "lambda,vast"}, lambda e: e.provider in ("lambda", "vast")),
    ({"max_price": 2}, lambda e: e.price <= 2),
    ({"spot": "true"}, lambda e: e.spot),
    ({"spot": "false"}, lambda e: not e.spot),
    ({"min_gpu_count": 8}, lambda e: e.count >= 8),
    ({"max_gpu_count": 1}, lambda e: e.count <= 1),
    ({"region": "us-east-1"}, lambda e: e.region == "us-east-1"),
    ({"min_vcpus": 96}, lambda e: (e.vcpus or 0) >= 96),
    ({"min_memory_gb": 1000}, lambda e: (e.memory_gb or 0) >= 1000),
    ({"max_price_per_gpu": 0.5}, lambda e: e.price / e.count <= 0.5 + 1e-9),
    ({"gpu": "A100"}, lambda e: e.accelerator.upper().startswith("A100")),
    ({"gpu": "H100", "max_price": 10, "spot": "false"},
     lambda e: e.accelerator.upper().startswith("H100") and e.price <= 10 and not e.spot),
    ({"q": "price_per_hour<3 gpu_count>=2 provider in [aws,lambda] spot=false"},
     lambda e: e.price < 3 and e.count >= 2 and e.provider in ("aws", "lambda") and not e.spot),
    ({"q": "num_gpus=8 price>=20"}, lambda e: e.count == 8 and e.price >= 20),
    ({"q": "provider notin [aws,azure,runpod]"},
     lambda e: e.provider not in ("aws", "azure", "runpod")),
])
def test_filters_match_the_csv_rows(params: dict, keep: Callable[[Expected], bool]) -> None:
    body = _get(per_page=500, **params)
    assert body["total"] == _count(keep)
    assert len(body["items"]) == min(500, body["total"])


def test_default_sort_is_cheapest_first_and_pages_continue() -> None:
    prices = sorted(e.price for e in EXPECTED.values())
    first, second = _get(per_page=100), _get(per_page=100, page=2)
    got = [o["price_per_hour"] for o in first["items"] + second["items"]]
    assert got == pytest.approx(prices[:200], abs=1e-6)
    ids = [o["id"] for o in first["items"] + second["items"]]
    assert len(set(ids)) == 200


@pytest.mark.parametrize("sort", ["-gpu_count", "vcpus", "-price_per_gpu_hour", "-memory_gb"])
def test_sort_orders_by_the_field_with_unknown_last(sort: str) -> None:
    field = sort.lstrip("-")
    items = _get(per_page=500, sort=sort, provider="aws,lambda,hyperbolic")["items"]
    known = [o[field] for o in items if o[field] is not None]
    assert known == sorted(known, reverse=sort.startswith("-"))
    assert all(o[field] is None for o in items[len(known):])


def test_gpu_memory_filters_split_offers_cleanly() -> None:
    everything = _get(per_page=500, provider="lambda,aws")["items"]
    chosen = {o["id"] for o in _get(per_page=500, provider="lambda,aws",
                                    min_gpu_memory_gb=40)["items"]}
    assert chosen and all(
        (o["id"] in chosen) == (o["gpu_memory_gb"] is not None and o["gpu_memory_gb"] >= 40)
        for o in everything)


def test_total_gpu_memory_filter() -> None:
    items = _get(per_page=500, min_total_gpu_memory_gb=640)["items"]
    assert items and all(o["gpu_count"] * o["gpu_memory_gb"] >= 640 - 1e-6 for o in items)


def test_country_and_continent_filters_agree_with_offer_fields() -> None:
    de = _get(per_page=500, country="Germany")
    assert de["total"] > 0 and all(o["country"] == "DE" for o in de["items"])
    eu = _get(per_page=1, continent="europe")["total"]
    assert eu == _get(per_page=1, continent="EU")["total"] > de["total"]


def test_offer_shape_and_one_offer_by_id() -> None:
    offer = _get(provider="lambda", gpu="H100", per_page=1)["items"][0]
    assert set(offer) >= {"id", "provider", "instance_type", "region", "country", "continent",
                          "gpu_name", "gpu_vendor", "gpu_count", "gpu_memory_gb", "vcpus",
                          "memory_gb", "disk_gb", "price_per_hour", "price_per_gpu_hour", "spot",
                          "source", "fetched_at", "stale"}
    assert offer["gpu_vendor"] == "nvidia" and offer["source"].endswith("lambda/vms.csv")
    assert offer["price_per_gpu_hour"] == pytest.approx(offer["price_per_hour"] /
                                                        offer["gpu_count"], abs=1e-6)
    assert Client().get(f"{URL}{offer['id']}").json() == offer


def test_empty_answer_names_the_constraint_and_the_nearest_relaxation() -> None:
    cheapest_h100 = min(e.price for e in EXPECTED.values()
                        if e.accelerator.upper().startswith("H100"))
    body = _get(gpu="H100", max_price=0.05)
    assert body["total"] == 0 and body["items"] == []
    assert any("max_price=0.05" in w for w in body["warnings"])
    nearest = body["relaxations"][0]
    assert nearest["param"] == "max_price"
    assert nearest["suggestion"] == f"max_price={cheapest_h100:g}"
    assert nearest["offers"] >= 1


def test_relaxations_inside_q_are_written_in_q_syntax() -> None:
    body = _get(q="gpu=H100 price<0.3 spot=false")
    assert body["total"] == 0
    nearest = body["relaxations"][0]
    assert nearest["param"] == "q" and nearest["constraint"] == "price<0.3"
    assert nearest["suggestion"].startswith("price_per_hour<=")
    by_gpu = next(r for r in body["relaxations"] if r["constraint"] == "gpu=H100")
    assert by_gpu["suggestion"].startswith("gpu_name in [")


def test_unknown_gpu_name_is_warned_about() -> None:
    body = _get(gpu="H1000")
    assert body["total"] == 0
    assert any("H1000" in w for w in body["warnings"])


@pytest.mark.parametrize(("params", "status", "named"), [
    ({"max_price": "abc"}, 422, "max_price"),
    ({"per_page": 100000}, 422, "per_page"),
    ({"page": 0}, 422, "page"),
    ({"min_gpu_count": "-1"}, 422, "min_gpu_count"),
    ({"q": "gpu_memory_gb>>3"}, 400, "gpu_memory_gb>>3"),
    ({"q": "colour=blue"}, 400, "colour"),
    ({"q": "gpu_count>=two"}, 400, "two"),
    ({"q": "provider<aws"}, 400, "provider<aws"),
    ({"q": "provider in aws"}, 400, "provider in aws"),
    ({"q": "price<1 &&"}, 400, "&&"),
    ({"sort": "colour"}, 400, "colour"),
    ({"country": "Atlantis"}, 400, "Atlantis"),
    ({"spot": "maybe"}, 422, "spot"),
])
def test_bad_parameters_get_a_4xx_json_naming_the_problem(params: dict, status: int,
                                                          named: str) -> None:
    response = Client().get(URL, params)
    assert response.status_code == status
    assert named in str(response.json()["detail"])


def test_unknown_offer_is_a_json_404() -> None:
    response = Client().get(URL + "999999999")
    assert response.status_code == 404 and "999999999" in response.json()["detail"]


def test_unknown_provider_is_warned_about() -> None:
    body = _get(provider="nosuchcloud")
    assert body["total"] == 0
    assert any("'nosuchcloud' has no offers here" in w and "lambda" in w for w in body["warnings"])
