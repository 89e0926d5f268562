"""Dashboard pages on the real snapshot, rendered by Django: each page agrees with the API
it stands beside (same parameter names, same offers, same order, same explainer)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
ROW = re.compile(r'<tr data-offer-id="(\d+)"')


@pytest.fixture(autouse=True)
def _snapshot(synced_snapshot: Any) -> None:
    pass


def _page(url: str, status: int = 200) -> str:
    response = Client().get(url)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def _api_ids(query: str) -> list[int]:
    body = Client().get("/api/v2/providers/" + query).json()
    return [o["id"] for o in body["items"]]


def _row_ids(html: str) -> list[int]:
    return [int(i) for i in ROW.findall(html)]


@pytest.mark.parametrize("query", [
    "",
    "?gpu=H100&max_price=3",
    "?gpu=A100,L4&spot=false&sort=-gpu_memory_gb",
    "?continent=EU&min_gpu_count=2&sort=price_per_gpu_hour&page=2",
    "?q=gpu_memory_gb%3E%3D80+provider+in+%5Blambda,aws%5D&per_page=25",
    "?provider=vast&country=US&max_price_per_gpu=1",
    "?provider=azure&fractional=true&per_page=200",
    "?provider=azure&per_page=200",
])
def test_offers_page_shows_what_the_api_answers_for_the_same_query(query: str) -> None:
    html = _page("/" + query)
    ids = _row_ids(html)
    assert ids and ids == _api_ids(query)


def test_every_row_names_its_source_price_per_gpu_hour_and_freshness() -> None:
    html = _page("/?per_page=25")
    rows = html.split('<tr data-offer-id="')[1:]
    assert len(rows) == 25
    for row in rows:
        assert 'class="col-13 source"' in row and "vms.csv" in row
        assert 'data-field="price_per_gpu_hour"' in row and "$" in row
        assert "data-ago" in row and ("ago" in row or "just now" in row)


def test_sort_headers_toggle_and_say_the_current_order() -> None:
    html = _page("/?gpu=H100&sort=-gpu_count")
    assert 'aria-sort="descending"' in html
    assert 'href="/?gpu=H100&amp;sort=gpu_count"' in html  # clicking again flips it
    assert 'href="/?gpu=H100&amp;sort=price_per_gpu_hour"' in html


def test_pager_links_keep_the_filters() -> None:
    html = _page("/?gpu=H100")
    total = Client().get("/api/v2/providers/?gpu=H100").json()["total"]
    assert f"of {total:,} offers" in html
    assert 'href="/?gpu=H100&amp;page=2" rel="next"' in html


def test_empty_answer_uses_the_markets_explainer() -> None:
    body = Client().get("/api/v2/providers/?gpu=H100&max_price=1").json()
    assert body["total"] == 0 and body["relaxations"]
    nearest = body["relaxations"][0]
    cheapest = float(nearest["suggestion"].split("=")[1])
    html = _page("/?gpu=H100&max_price=1")
    assert "No offers match: max price $1.00 is below the cheapest H100 offer" in html
    assert f"${cheapest:.2f} per hour" in html
    assert body["warnings"][0].replace("'", "&#x27;") in html
    assert f'href="/?gpu=H100&amp;max_price={nearest["suggestion"].split("=")[1]}"' in html


@pytest.mark.parametrize(("query", "message"), [
    ("?min_gpu_count=lots", "min_gpu_count must be a number"),
    ("?q=gpu_memory_gb%3E%3D", "q"),
    ("?sort=provider", "cannot sort by"),
    ("?spot=maybe", "spot must be true or false"),
    ("?page=0", "page must be between"),
])
def test_a_bad_filter_is_a_400_page_that_says_why(query: str, message: str) -> None:
    html = _page("/" + query, status=400)
    assert "That filter cannot run." in html and message in html


def test_gpu_page_shows_datasheet_sources_and_provider_prices() -> None:
    html = _page("/gpu/H100-SXM")
    offers = Client().get("/api/v2/providers/?gpu=H100-SXM&spot=false&sort=price_per_gpu_hour"
                          "&per_page=1").json()
    cheapest = offers["items"][0]
    assert "https://" in html and "Datasheet" in html
    assert f"{cheapest['price_per_gpu_hour']:.2f}" in html
    assert f"<title>{cheapest['provider']}:" in html  # its range bar
    assert "No history yet" in html  # one sync so far


def test_unknown_gpu_is_a_404_page_listing_real_ones() -> None:
    html = _page("/gpu/NoSuchGPU", status=404)
    assert "No GPU called" in html and 'href="/gpu/H100-SXM"' in html


def test_compare_page_carries_the_chosen_offers_and_their_figures() -> None:
    ids = _api_ids("?gpu=H100-SXM&per_page=3")
    html = _page("/compare?" + "&".join(f"id={i}" for i in ids))
    data = re.search(r'<script id="compare-data" type="application/json">(.*?)</script>', html,
                     re.S)
    assert data is not None
    import json

    payload = json.loads(data.group(1))
    assert [o["id"] for o in payload["offers"]] == ids
    assert all(o["values"]["bf16_tflops"] for o in payload["offers"])  # H100-SXM datasheet
    assert {c["key"] for c in payload["criteria"]} >= {"price_per_gpu_hour", "bf16_tflops"}


def test_compare_page_ranks_a_filter_by_default_and_refuses_a_bad_id() -> None:
    assert "Rank these" in _page("/compare?gpu=L4&limit=5")
    assert "id must be an offer id" in _page("/compare?id=abc", status=400)


@pytest.mark.parametrize("url", ["/plan", "/account"])
def test_interactive_pages_render(url: str) -> None:
    html = _page(url)
    assert 'src="/static/web/app.js"' in html


def test_market_page_shows_the_kpi_apis_figures() -> None:
    overview = Client().get("/api/v2/kpi/overview").json()
    found = Client().get("/api/v2/kpi/insights/market?limit=10").json()
    html = _page("/market")
    assert f"{overview['offers']:,}" in html
    popular = {g["gpu"] for g in overview["popular_gpus"][:12]}
    shown = [c for c in found["cheapest"] if c["gpu"] in popular]
    assert shown
    for c in shown:  # each bar says its GPU and the API's cheapest price per GPU-hour
        assert f"<title>{c['gpu']}: " in html
    for name in ("aws", "lambda", "vast"):
        assert f"<td>{name}</td>" in html  # provider status rows
    assert 'href="/market" aria-current="page"' in html


def test_alerts_page_is_in_the_navigation_and_pre_fills_from_offer_filters() -> None:
    html = _page("/alerts?gpu=H100&gpu=A100&spot=false&max_price=3&max_price_per_gpu=1.5"
                 "&sort=-gpu_count&page=2")
    assert 'href="/alerts" aria-current="page"' in html and "/static/web/alerts.js" in html
    assert 'id="a-gpu" name="gpu" list="gpu-names" value="H100,A100"' in html
    assert 'name="max_price_per_hour" type="number"' in html
    assert re.search(r'id="a-max-hour"[^>]*value="3"', html)  # the offers API's max_price
    assert re.search(r'id="a-max-gpu"[^>]*value="1.5"', html)
    assert '<option value="false" selected>On-demand</option>' in html
    assert '<option value="H100-SXM">' in html  # GPU names that have offers, as suggestions


def test_offers_page_links_its_filters_to_a_new_alert() -> None:
    html = _page("/?gpu=H100&max_price=3&sort=-gpu_count&page=2")
    assert 'id="alert-me" href="/alerts?gpu=H100&amp;max_price=3"' in html
    assert 'id="alert-me" href="/alerts"' in _page("/")


def test_fractional_offers_show_their_share_only_when_let_in() -> None:
    """Azure's NVv4 sizes are 1/8, 1/4 and 1/2 of an MI25 (README "Fractional GPUs"): hidden by
    default, shown with their share by ``fractional=true``, the toggle checked."""
    hidden = _page("/?provider=azure&q=instance_type%3DStandard_NV4as_v4")
    assert not _row_ids(hidden) and 'name="fractional" type="checkbox" value="true" ' \
        'aria-describedby' in hidden
    shown = _page("/?provider=azure&q=instance_type%3DStandard_NV4as_v4&fractional=true")
    rows = shown.split('<tr data-offer-id="')[1:]
    assert rows and all('<span class="badge share"' in r and ">1/8 GPU</span>" in r
                        for r in rows)
    assert 'value="true" checked aria-describedby="fractional-help"' in shown
    whole = _page("/?provider=azure&q=instance_type%3DStandard_NV32as_v4")
    assert _row_ids(whole) and 'class="badge share"' not in whole.split("<tbody>")[1]


def test_available_count_is_shown_only_where_the_source_gives_it() -> None:
    html = _page("/?provider=azure&per_page=25")  # catalog rows: the source does not say
    cells = re.findall(r'<td class="num col-11">(.*?)</td>', html)
    assert len(cells) == 25 and all(">–</span>" in c for c in cells)
    assert "No offers match" in _page("/?provider=azure&min_available=1")
    assert 'value="3"' in _page("/?min_available=3").split('id="f-available"')[1][:200]


def test_alert_me_carries_fractional_and_min_available_in_the_query() -> None:
    html = _page("/?gpu=MI25&fractional=true&min_available=2&q=spot%3Dfalse")
    href = re.search(r'id="alert-me" href="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    assert href == ("/alerts?gpu=MI25&amp;q=spot%3Dfalse+fractional%3Dtrue+"
                    "available_count%3E%3D2")
