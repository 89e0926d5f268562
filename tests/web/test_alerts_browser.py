"""The alerts page in Chromium: sign in (and come back), create an alert on vast's offers
with a price limit between two real vast catalog versions, see it listed, and see the
notification arrive over /ws/notifications/ without a reload when the server's own scheduler
syncs the newer version; pause, delete and mark read (by keyboard too); axe-core in both
themes and at half a laptop's width."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import SHARED_DATA
from tests.support.browser import catalog_point, dashboard_server
from tests.web.conftest import LAPTOP, _browser_or_skip, axe_load, axe_serious
from tests.web.test_accessibility import HALF_LAPTOP

pytestmark = pytest.mark.slow
HISTORY = SHARED_DATA / "catalogs" / "history" / "vast"
OLDER, NEWER = HISTORY / "0e7ecd677444.csv", HISTORY / "00690e7666c7.csv"
SYNC_INTERVAL_S = 8
EMAIL, PASSWORD = "katherine.johnson@example.com", "orbital-mechanics-1962"


@pytest.fixture(scope="module")
def alerts_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server on vast's older real catalog version alone, re-synced every few seconds."""
    _browser_or_skip()
    root = tmp_path_factory.mktemp("alerts")
    catalog = root / "catalog"
    (catalog / "vast").mkdir(parents=True)
    catalog_point(catalog, "vast", OLDER)
    with dashboard_server(catalog_dir=catalog, data_dir=root / "data", log=root / "serve.log",
                          sync_interval_s=SYNC_INTERVAL_S) as base:
        yield base, catalog


def _on_demand(path: Path) -> dict[tuple[str, str], tuple[str, float]]:
    """(instance type, region) → (GPU, lowest on-demand price) of one catalog version."""
    found: dict[tuple[str, str], tuple[str, float]] = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            key, price = (row["InstanceType"], row["Region"]), float(row["Price"])
            if key not in found or price < found[key][1]:
                found[key] = (row["AcceleratorName"], price)
    return found


def _biggest_drop() -> tuple[str, str, float, float]:
    """The offer whose price fell most between the two versions: instance type, GPU, old and
    new price per hour."""
    before, after = _on_demand(OLDER), _on_demand(NEWER)
    key = max(before.keys() & after.keys(), key=lambda k: before[k][1] - after[k][1])
    assert after[key][1] < before[key][1]
    return key[0], before[key][0], before[key][1], after[key][1]


def _get(base: str, path: str, token: str | None = None, **params: Any) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = httpx.get(base + path, params=params, headers=headers, timeout=120)
    answer.raise_for_status()
    return answer.json()


def _sign_in(page: Any, base: str) -> None:
    """From the alerts page's sign-in link, through the account page, and back."""
    assert httpx.post(f"{base}/api/v2/auth/register", json={"email": EMAIL, "password": PASSWORD},
                      timeout=60).status_code == 202
    page.get_by_role("link", name="Sign in or create an account").click()
    page.wait_for_url("**/account?next=%2Falerts%3Fspot%3Dfalse")
    login = page.locator("#login-form")
    login.get_by_label("Email").fill(EMAIL)
    login.get_by_label("Password").fill(PASSWORD)
    login.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/alerts?spot=false")


def test_an_alert_fires_live_when_a_sync_crosses_its_limit(
        browser: Any, console: Any, alerts_dashboard: tuple[str, Path]) -> None:
    base, catalog = alerts_dashboard
    instance, gpu, old, new = _biggest_drop()
    limit = round((old + new) / 2, 2)
    filters = {"gpu": gpu, "provider": "vast", "spot": "false"}
    meeting = _get(base, "/api/v2/providers/", **filters, max_price=limit)["total"]
    assert _get(base, "/api/v2/providers/", provider="vast")["total"] > 0  # first sync done
    console.expect("status of 400")  # the query the server refuses, on purpose

    context = browser.new_context(viewport=LAPTOP, base_url=base)
    page = console.watch(context.new_page())
    page.set_default_timeout(60_000)
    axe_load(page)
    page.goto("/alerts?spot=false")  # as the offers page's "Alert me" links, signed out
    page.get_by_role("heading", name="Sign in to set alerts").wait_for()
    _sign_in(page, base)
    page.wait_for_selector('#live-status[data-state="open"]')
    assert page.locator("#notes-empty").is_visible() and page.locator("#alerts-empty").is_visible()

    form = page.locator("#alert-form")
    form.get_by_label("Name").fill("no limit")
    form.get_by_role("button", name="Create alert").click()
    page.locator("#alert-message").get_by_text("Set a price limit").wait_for()
    form.get_by_label("Query (optional)").fill("gpu_memory_gb>>80")
    form.get_by_label("Max $ / h").fill("1")
    form.get_by_role("button", name="Create alert").click()
    expect(page.locator("#alert-message.error")).to_contain_text("gpu_memory_gb")  # API's 400
    assert page.locator("#alerts-table tbody tr").count() == 0

    form.get_by_label("Query (optional)").fill("")
    form.get_by_label("Name").fill(f"{gpu} under ${limit}")
    form.get_by_label("GPU", exact=True).fill(gpu)
    form.get_by_label("Provider").fill("vast")
    assert form.get_by_label("Pricing").input_value() == "false"  # carried by the URL
    form.get_by_label("Max $ / h").fill(str(limit))
    form.get_by_role("button", name="Create alert").click()
    row = page.locator("#alerts-table tbody tr", has_text=f"{gpu} under ${limit}")
    row.wait_for()
    assert f"gpu={gpu}" in row.inner_text() and "provider=vast" in row.inner_text()
    assert "active" in row.inner_text() and "not yet" in row.inner_text()
    assert row.locator("td.num").inner_text() == str(meeting)  # armed on the offers of now

    form.get_by_label("Name").focus()  # the keyboard alone: type, Enter, Tab, Space
    page.keyboard.type("scratch")
    form.get_by_label("Max $ / GPU-h").focus()
    page.keyboard.type("0.5")
    page.keyboard.press("Enter")
    scratch = page.locator("#alerts-table tbody tr", has_text="scratch")
    scratch.get_by_role("button", name="Pause alert scratch").focus()
    page.keyboard.press("Space")
    expect(scratch).to_contain_text("paused")
    expect(scratch.get_by_role("button", name="Resume alert scratch")).to_be_focused()
    page.keyboard.press("Tab")
    expect(scratch.get_by_role("button", name="Delete alert scratch")).to_be_focused()
    page.keyboard.press("Enter")
    scratch.wait_for(state="detached")
    expect(page.get_by_role("heading", name="Your alerts")).to_be_focused()

    page.evaluate("() => { window.sameDocument = true; }")  # gone if the page reloaded
    catalog_point(catalog, "vast", NEWER)  # the next scheduled sync reads the newer version
    note = page.locator("#notes-list li.notification").first
    note.wait_for(timeout=120_000)
    assert page.evaluate("() => window.sameDocument === true")  # arrived live, no reload
    line = note.locator(".note-offers li", has_text=instance)
    assert f"{gpu} under ${limit}" in note.inner_text()
    assert f"${old:.2f} → ${new:.2f}" in line.inner_text().replace("\n", "")
    assert page.locator("#unread-count").inner_text() == "1 unread"
    assert "New notification" in page.locator("#notes-announce").inner_text()
    expect(row).to_contain_text("1× · last")

    token = page.evaluate("() => JSON.parse(sessionStorage.getItem('gpubroker-auth')).access_token")
    stored = _get(base, "/api/v2/alerts/notifications", token)
    assert [n["id"] for n in stored] == [int(note.get_attribute("data-notification-id"))]
    assert instance in {o["instance_type"] for o in stored[0]["offers"]}

    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Alerts 1 unread notifications")).to_be_visible()
    page.get_by_role("link", name="Offers", exact=True).click()  # other pages show it too
    expect(nav.get_by_role("link", name="Alerts 1 unread notifications")).to_be_visible()
    page.go_back()
    note.wait_for()

    assert axe_serious(page) == []
    page.get_by_role("button", name="Dark theme").click()
    assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    assert axe_serious(page) == []
    page.set_viewport_size(HALF_LAPTOP)  # half a laptop screen: no sideways page scroll
    assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert axe_serious(page) == []

    note.get_by_role("button", name=f"Mark read: {gpu} under ${limit}").click()
    expect(page.locator("#unread-count")).to_have_text("")
    expect(note).to_be_focused()
    expect(nav.get_by_role("link", name="Alerts", exact=True)).to_be_visible()  # no count
    assert page.get_by_role("button", name="Mark all read").is_disabled()
    assert _get(base, "/api/v2/alerts/notifications", token, unread=True) == []
    page.reload()  # what the page showed live is what it loads
    page.locator(f'#notes-list li[data-notification-id="{stored[0]["id"]}"]').wait_for()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    expect(page.locator("#alerts-summary")).to_have_text(
        "1 alert (1 active) · 0 unread notifications")
    context.close()


@pytest.fixture(scope="module")
def short_tokens_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose access tokens last two seconds (no leeway)."""
    _browser_or_skip()
    root = tmp_path_factory.mktemp("short-tokens")
    catalog = root / "catalog"
    (catalog / "vast").mkdir(parents=True)
    catalog_point(catalog, "vast", OLDER)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JWT_ACCESS_TTL_S", "2")
        env.setenv("JWT_LEEWAY_S", "0")
        with dashboard_server(catalog_dir=catalog, data_dir=root / "data",
                              log=root / "serve.log") as base:
            yield base


def test_an_expired_token_is_refreshed_and_the_socket_reconnects(
        browser: Any, console: Any, short_tokens_dashboard: str) -> None:
    base = short_tokens_dashboard
    console.expect("status of 401")  # an API call that meets an expired token, then refreshes
    assert httpx.post(f"{base}/api/v2/auth/register", json={"email": EMAIL, "password": PASSWORD},
                      timeout=60).status_code == 202
    context = browser.new_context(viewport=LAPTOP, base_url=base)
    page = console.watch(context.new_page())
    page.set_default_timeout(60_000)
    sockets: list[Any] = []
    page.on("websocket", lambda socket: sockets.append(socket))
    page.goto("/account?next=/alerts")
    page.locator("#l-email").fill(EMAIL)
    page.locator("#l-password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"^[^?]*/alerts$"))  # the path, not the ?next=/alerts before
    first = page.evaluate("() => JSON.parse(sessionStorage.getItem('gpubroker-auth')).access_token")
    page.wait_for_function("() => JSON.parse(sessionStorage.getItem('gpubroker-auth'))"
                           f".access_token !== '{first}'")  # the server closed 4401: renewed
    page.wait_for_function("() => document.querySelector('#live-status').dataset.state === 'open'"
                           " && document.querySelector('#alerts-signed-in').hidden === false")
    # the account page opened one on sign-in (every page keeps the unread count live), the
    # alerts page's first was closed 4401 and a newer one opened
    alerts_sockets = sockets[1:]
    assert len(alerts_sockets) >= 2 and alerts_sockets[0].is_closed()
    # Two calls that meet an expired token together share one refresh (a refresh token used
    # twice revokes the sign-in): both answer, the person stays signed in.
    both = page.evaluate("""async expired => {
        const G = window.GPUBroker;
        G.setAuth(Object.assign(G.auth(), {access_token: expired}));  // as if it just ran out
        const [alerts, notes] = await Promise.all([G.api('/api/v2/alerts/', {auth: true}),
            G.api('/api/v2/alerts/notifications', {auth: true})]);
        return [alerts.length, notes.length, G.auth() !== null];
    }""", first)
    assert both == [0, 0, True]
    context.close()
