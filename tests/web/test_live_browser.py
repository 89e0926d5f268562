"""A live price update reaching an open offers page: the page is open on vast's offers, a
newer real vast catalog version is synced by the server's own scheduler, and the changed
prices light up in place without a reload."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import SHARED_DATA, SKYPILOT_DIR
from tests.support.browser import catalog_copy, catalog_point, dashboard_server
from tests.web.conftest import LAPTOP, _browser_or_skip

pytestmark = pytest.mark.slow
HISTORY = SHARED_DATA / "catalogs" / "history" / "vast"
OLDER, NEWER = HISTORY / "0e7ecd677444.csv", HISTORY / "00690e7666c7.csv"
SYNC_INTERVAL_S = 8
HTTP_TIMEOUT_S = 120  # the server re-syncs every few seconds; answers can wait


@pytest.fixture(scope="module")
def live_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The snapshot with vast at its older version, re-synced every few seconds."""
    _browser_or_skip()
    root = tmp_path_factory.mktemp("live")
    catalog = catalog_copy(SKYPILOT_DIR, root / "catalog", replace={"vast": OLDER})
    with dashboard_server(catalog_dir=catalog, data_dir=root / "data", log=root / "serve.log",
                          sync_interval_s=SYNC_INTERVAL_S) as base:
        yield base, catalog


def _lowest(path: Path) -> dict[tuple[str, str], float]:
    best: dict[tuple[str, str], float] = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            key, price = (row["InstanceType"], row["Region"]), float(row["Price"])
            best[key] = min(price, best.get(key, price))
    return best


def _vast_offers(base: str) -> list[dict[str, Any]]:
    params = {"provider": "vast", "spot": "false", "per_page": 200}
    answer = httpx.get(f"{base}/api/v2/providers/", params=params, timeout=HTTP_TIMEOUT_S)
    return list(answer.json()["items"])


def test_a_sync_while_the_page_is_open_highlights_changed_prices(
        browser: Any, console: Any, live_dashboard: tuple[str, Path]) -> None:
    base, catalog = live_dashboard
    before, after = _lowest(OLDER), _lowest(NEWER)
    repriced = {k for k in before.keys() & after.keys() if abs(before[k] - after[k]) > 1e-9}
    assert repriced  # the two real versions differ in price for some offers
    context = browser.new_context(viewport=LAPTOP, base_url=base)
    page = console.watch(context.new_page())
    page.set_default_timeout(60_000)
    page.goto("/?provider=vast&spot=false&per_page=200")
    page.wait_for_selector('#live-status[data-state="open"]')
    shown = {r["id"]: r for r in _vast_offers(base)}
    catalog_point(catalog, "vast", NEWER)  # the next scheduled sync reads the newer version
    changed = page.locator("td.price.changed-up, td.price.changed-down")
    changed.first.wait_for(timeout=120_000)
    page.wait_for_timeout(500)  # the rest of the same message
    for cell in changed.all():
        row = cell.locator("xpath=..")
        offer = shown[int(row.get_attribute("data-offer-id"))]
        now = float(cell.get_attribute("data-value"))
        if cell.get_attribute("data-field") == "price_per_hour":
            assert now != offer["price_per_hour"]
            assert (offer["instance_type"], offer["region"]) in repriced
            assert ("changed-up" in cell.get_attribute("class")) == (now > offer["price_per_hour"])
    for offer in _vast_offers(base):  # the page now shows what the store holds
        cell = page.locator(f'tr[data-offer-id="{offer["id"]}"] td[data-field="price_per_hour"]')
        if cell.count():
            assert float(cell.get_attribute("data-value")) == offer["price_per_hour"]
    banner = page.locator("#live-banner").inner_text()
    assert re.match(r"\d+ prices? changed", banner) and "since you opened this page" in banner
    context.close()
