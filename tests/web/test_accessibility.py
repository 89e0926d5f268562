"""axe-core on every page (and the 400/404 pages), light and dark, at laptop and half-laptop
widths: no serious or critical violations, no sideways scrolling of the page itself,
everything reachable by keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.conftest import axe_load, axe_serious

pytestmark = pytest.mark.slow
PAGES = {
    "/": "#offers-table tbody tr",
    "/?gpu=H100&max_price=1": ".empty",
    "/?provider=azure&fractional=true": "#offers-table .badge.share",  # GPU shares let in
    "/gpu/H100-SXM": "#cpt-result table",
    "/market": "#prov-title",
    "/compare": "#ranking tbody tr",
    "/plan?model=Llama-3.1-8B&gpu=L4&gpu_count=1": "#recommendations",
    "/account": "#login-form",
    "/alerts": "#alerts-signed-out",  # signed in: tests/web/test_alerts_browser.py
}
HALF_LAPTOP = {"width": 720, "height": 900}


@pytest.fixture(params=["light", "dark"])
def themed(request: pytest.FixtureRequest, browser: Any, dashboard: str,
           console: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, base_url=dashboard,
                                  color_scheme=request.param)
    page = console.watch(context.new_page())
    axe_load(page)
    yield page
    context.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_no_serious_axe_violations(themed: Any, path: str) -> None:
    themed.goto(path)
    themed.locator(PAGES[path]).first.wait_for()
    assert axe_serious(themed) == []


ERROR_PAGES = {
    "/gpu/NoSuchGPU": "#unknown-title",  # 404, listing real GPUs
    "/?min_gpu_count=lots": ".notice.error",  # 400, saying why
    "/compare?id=abc": ".notice.error",
}


@pytest.mark.parametrize("path", list(ERROR_PAGES))
def test_error_pages_have_no_serious_axe_violations(themed: Any, console: Any,
                                                    path: str) -> None:
    console.expect("status of 40")  # Chromium logs the page's own 400/404
    themed.goto(path)
    themed.locator(ERROR_PAGES[path]).first.wait_for()
    assert axe_serious(themed) == []


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("path", list(PAGES))
def test_half_a_laptop_screen_has_no_sideways_page_scroll(browser: Any, dashboard: str,
                                                          console: Any, path: str,
                                                          theme: str) -> None:
    context = browser.new_context(viewport=HALF_LAPTOP, base_url=dashboard, color_scheme=theme)
    page = console.watch(context.new_page())
    axe_load(page)
    page.goto(path)
    page.locator(PAGES[path]).first.wait_for()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert axe_serious(page) == []
    context.close()


def test_theme_toggle_is_a_labelled_keyboard_button(page: Any) -> None:
    page.goto("/")
    toggle = page.get_by_role("button", name="Dark theme")
    start = page.evaluate("() => document.documentElement.dataset.theme")
    toggle.focus()
    page.keyboard.press("Enter")
    flipped = page.evaluate("() => document.documentElement.dataset.theme")
    assert {start, flipped} == {"light", "dark"}
    assert toggle.get_attribute("aria-pressed") == ("true" if flipped == "dark" else "false")
    page.reload()  # remembered
    assert page.evaluate("() => document.documentElement.dataset.theme") == flipped


def test_keyboard_reaches_filters_then_the_table(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "f-q"
