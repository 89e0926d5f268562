"""The offers page's GPU shares and availability, and the live unread count, in Chromium.

One server on real data: Azure's catalog from the shared SkyPilot snapshot (its NVv4 sizes are
1/8, 1/4 and 1/2 of an MI25: fractional GPUs), vast's older real catalog version, and
JarvisLabs' live API replayed from its recorded payload by a local HTTP server (the only
source here that counts free instances: ``available_count``), re-synced every few seconds.

- The "Fractional GPUs" toggle (keyboard) lets in the NVv4 shares the default view hides,
  each with its share ("1/8 GPU"); the URL carries ``fractional=true``; rows = the API's.
- "Min available" filters by ``min_available``; unknown counts show "–", never a number.
- Signed in on the offers page, the unread count beside "Alerts" grows when an alert fires
  (vast pointed at its newer version crosses the alert's limit), in the same document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import SKYPILOT_DIR
from tests.market.adapters.samples import sample
from tests.support.browser import catalog_point, dashboard_server
from tests.support.payloads import serve_payloads
from tests.web.conftest import LAPTOP, _browser_or_skip, axe_load, axe_serious
from tests.web.test_alerts_browser import NEWER, OLDER, _biggest_drop

pytestmark = pytest.mark.slow
JARVIS = sample("jarvislabs/server_meta_gpuhunt-0.1.34.json")
SYNC_INTERVAL_S = 10
EMAIL, PASSWORD = "grace.hopper@example.com", "compiler-cobol-1959"
SHARE = "Standard_NV4as_v4"  # 1/8 of an MI25 (learn.microsoft.com, NVv4 series)
WHOLE = "Standard_NV32as_v4"  # the whole MI25


@pytest.fixture(scope="module")
def shares_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    _browser_or_skip()
    root = tmp_path_factory.mktemp("shares")
    catalog = root / "catalog"
    for cloud in ("azure", "vast"):
        (catalog / cloud).mkdir(parents=True)
    catalog_point(catalog, "azure", SKYPILOT_DIR / "azure" / "vms.csv")
    catalog_point(catalog, "vast", OLDER)
    with serve_payloads({"GET /misc/server_meta": JARVIS}) as jarvis, dashboard_server(
            catalog_dir=catalog, data_dir=root / "data", log=root / "serve.log",
            sync_interval_s=SYNC_INTERVAL_S,
            env_extra={"GPUBROKER_LIVE_PROVIDERS": "jarvislabs-api",
                       "GPUBROKER_API_URL_JARVISLABS_API": jarvis.url,
                       "JARVISLABS_API_KEY": "jl_test_key"}) as base:
        yield base, catalog


def _api(base: str, token: str | None = None, **params: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = httpx.get(f"{base}/api/v2/providers/", params={"per_page": 500, **params},
                       headers=headers, timeout=120)
    answer.raise_for_status()
    return answer.json()


def _shown(page: Any) -> list[tuple[str, str]]:
    """(instance type, GPU cell text) of every row on the page."""
    rows = page.locator("#offers-table tbody tr")
    return [(rows.nth(i).locator("td.col-5 .mono").inner_text(),
             rows.nth(i).locator("td.col-1").inner_text()) for i in range(rows.count())]


def test_fractional_toggle_and_min_available(
        browser: Any, console: Any, shares_dashboard: tuple[str, Path]) -> None:
    base, _ = shares_dashboard
    whole = _api(base, provider="azure", q=f"instance_type in [{SHARE},{WHOLE}]")
    shares = _api(base, provider="azure", fractional="true",
                  q=f"instance_type in [{SHARE},{WHOLE}]")
    assert {o["instance_type"] for o in whole["items"]} == {WHOLE}  # the default hides shares
    assert {o["gpu_fraction"] for o in shares["items"]} == {0.125, 1}

    context = browser.new_context(viewport=LAPTOP, base_url=base)
    page = console.watch(context.new_page())
    axe_load(page)
    page.goto("/?provider=azure&q=" + f"instance_type in [{SHARE},{WHOLE}]".replace(" ", "+"))
    assert {t for t, _ in _shown(page)} == {WHOLE} and len(_shown(page)) == whole["total"]
    toggle = page.get_by_label("Fractional GPUs")
    assert not toggle.is_checked()
    toggle.focus()
    page.keyboard.press("Space")  # a plain checkbox: the keyboard works it
    assert toggle.is_checked()
    page.get_by_label("Query").press("Enter")
    page.wait_for_url(re.compile(r"fractional=true"))
    shown = _shown(page)
    assert len(shown) == shares["total"] and {t for t, _ in shown} == {SHARE, WHOLE}
    for instance, gpu_cell in shown:  # the share's badge on the shares only
        assert ("1/8 GPU" in gpu_cell) == (instance == SHARE)
    assert page.get_by_label("Fractional GPUs").is_checked()  # the URL keeps it on
    assert axe_serious(page) == []
    page.reload()  # shareable: the same view from the URL alone
    assert len(_shown(page)) == shares["total"]

    known = _api(base, min_available=3)
    counts = {o["id"]: o["available_count"] for o in known["items"]}
    assert known["total"] > 0 and all(c >= 3 for c in counts.values())
    assert {o["provider"] for o in known["items"]} == {"jarvislabs-api"}
    page.goto("/")
    page.get_by_label("Min available").fill("3")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"min_available=3"))
    rows = page.locator("#offers-table tbody tr")
    assert rows.count() == known["total"]
    for i in range(rows.count()):
        offer_id = int(rows.nth(i).get_attribute("data-offer-id"))
        assert rows.nth(i).locator("td.col-11").inner_text() == str(counts[offer_id])
    page.goto("/?provider=azure&per_page=25")  # the catalog does not say: a dash, no number
    cells = page.locator("#offers-table tbody td.col-11")
    assert cells.count() == 25 and set(cells.all_inner_texts()) == {"–"}
    context.close()


def test_unread_count_on_the_offers_page_is_live(
        browser: Any, console: Any, shares_dashboard: tuple[str, Path]) -> None:
    base, catalog = shares_dashboard
    instance, gpu, old, new = _biggest_drop()
    limit = round((old + new) / 2, 2)
    assert httpx.post(f"{base}/api/v2/auth/register", json={"email": EMAIL, "password": PASSWORD},
                      timeout=60).status_code == 202
    pair = httpx.post(f"{base}/api/v2/auth/login", json={"email": EMAIL, "password": PASSWORD},
                      timeout=60).json()
    token = pair["access_token"]
    alert = httpx.post(f"{base}/api/v2/alerts/", headers={"Authorization": f"Bearer {token}"},
                       json={"name": f"{gpu} under ${limit}", "max_price_per_hour": limit,
                             "filters": {"gpu": gpu, "provider": "vast", "spot": False}},
                       timeout=60)
    assert alert.status_code == 201, alert.text

    context = browser.new_context(viewport=LAPTOP, base_url=base)
    page = console.watch(context.new_page())
    page.set_default_timeout(90_000)
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(
        f"{ws.url} {f}")) if ws.url.endswith("/ws/notifications/") else None)
    page.goto("/account")
    login = page.locator("#login-form")
    login.get_by_label("Email").fill(EMAIL)
    login.get_by_label("Password").fill(PASSWORD)
    login.get_by_role("button", name="Sign in").click()
    page.locator("#sign-out").wait_for()
    page.goto("/?provider=vast")
    page.evaluate("() => { window.sameDocument = true; }")
    expect(page.locator("#offers-table tbody tr").first).to_be_visible()
    _wait(lambda: any('"authenticated"' in f for f in frames), page)
    badge = page.locator('.mainnav a[href="/alerts"] .nav-count')
    assert badge.count() == 0  # nothing unread yet

    catalog_point(catalog, "vast", NEWER)  # the server's own scheduler syncs it
    expect(badge).to_have_text("1 unread notifications", timeout=90_000)
    assert page.evaluate("() => window.sameDocument === true")  # no reload
    assert any('"type": "alert"' in f or '"type":"alert"' in f for f in frames)
    unread = httpx.get(f"{base}/api/v2/alerts/notifications", params={"unread": "true"},
                       headers={"Authorization": f"Bearer {token}"}, timeout=60).json()
    assert len(unread) == 1 and any(o["instance_type"] == instance
                                    for o in unread[0]["offers"])

    page.goto("/market")  # another page reads the count and keeps listening
    expect(badge).to_have_text("1 unread notifications")
    context.close()


def _wait(condition: Any, page: Any, timeout_ms: int = 60_000) -> None:
    waited = 0
    while not condition():
        assert waited < timeout_ms, "timed out"
        page.wait_for_timeout(200)
        waited += 200
