"""The GPU page's price history over two real vast catalog versions synced one after the
other: one point for the first sync, one for the second, each the market as then known; the
market page's price moves over the window asked for."""

from __future__ import annotations

import statistics
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from django.test import Client
from django.utils import timezone

from market.adapters.catalog import CatalogAdapter
from market.models import PriceObservation
from market.selectors import offers_matching
from market.services.sync import providers_sync
from tests.conftest import SHARED_DATA
from web.gpus import price_history

pytestmark = pytest.mark.django_db
HISTORY = SHARED_DATA / "catalogs" / "history" / "vast"
OLDER, NEWER = HISTORY / "0e7ecd677444.csv", HISTORY / "00690e7666c7.csv"


def _sync(path: Path) -> dict[tuple[str, str, str], float]:
    with httpx.Client() as client:
        providers_sync(adapters=[CatalogAdapter("vast", str(path))], client=client)
    return {(o["provider"], o["instance_type"], o["region"]): o["price_per_gpu_hour"]
            for o in offers_matching({"spot": False})}


def test_history_has_a_point_per_sync_that_changed_prices() -> None:
    first = _sync(OLDER)
    assert price_history(gpu_names={"RTX4090", "H100-SXM", "RTX3090"}) == {}  # one sync only
    second = _sync(NEWER)
    changed = {k for k in first.keys() & second.keys() if first[k] != second[k]}
    gpus = {o["gpu_name"] for o in offers_matching({"spot": False})
            if (o["provider"], o["instance_type"], o["region"]) in changed}
    assert gpus
    gpu = sorted(gpus)[0]
    mine = {o["instance_type"] for o in offers_matching({"gpu": [gpu], "spot": False})}
    known = {k: v for k, v in first.items() if k[1] in mine}
    history = price_history(gpu_names={gpu})
    assert len(history["t"]) == 2 and history["t"][0] < history["t"][1]
    assert history["min"][0] == min(known.values())
    assert history["median"][0] == statistics.median(known.values())
    known.update({k: v for k, v in second.items() if k[1] in mine})
    assert history["min"][1] == min(known.values())
    assert history["median"][1] == statistics.median(known.values())
    html = Client().get(f"/gpu/{gpu}").content.decode()
    assert 'id="history-chart"' in html and 'id="history-data"' in html


def test_market_page_shows_moves_over_the_window_asked_for() -> None:
    _sync(OLDER)
    PriceObservation.objects.update(observed_at=timezone.now() - timedelta(days=10))
    _sync(NEWER)
    _sync(NEWER)  # a later round that changed nothing
    html = Client().get("/market").content.decode()
    assert "No price moves since the previous sync" in html
    assert 'href="/market#moves-1" aria-current="true">since the previous sync' in html
    moves = Client().get("/api/v2/kpi/insights/market", {
        "since": (timezone.now() - timedelta(days=7)).isoformat()}).json()
    drop = moves["drops"][0]  # the biggest fall between the two real versions
    html = Client().get("/market?moves=7d").content.decode()
    assert "Biggest drops over the last 7 days" in html
    assert 'href="?moves=7d#moves-1" aria-current="true"' in html
    assert drop["instance_type"] in html and f"{drop['new_price_per_gpu_hour']:.2f}" in html
    assert "No price moves over the last 30 days" in Client().get("/market?moves=30d"
                                                                   ).content.decode()
    refused = Client().get("/market?moves=forever")
    assert refused.status_code == 400
    assert "moves must be one of sync, 24h, 7d, 30d" in refused.content.decode()
