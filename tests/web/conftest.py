"""Browser fixtures: one real dashboard server on the shared snapshot per module, a system
Chromium per session, and a page per test that fails the test on any console error."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SKYPILOT_DIR
from tests.support.browser import catalog_copy, chromium, chromium_missing, dashboard_server

LAPTOP = {"width": 1440, "height": 900}


def _browser_or_skip() -> None:
    why = chromium_missing()
    if why and os.environ.get("GPUBROKER_REQUIRE_BROWSER") == "1":
        pytest.fail(why)  # CI installs Chromium: missing there is a failure, not a skip
    if why:
        pytest.skip(why)
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the browser tests run their own SQLite server; the SQLite pass runs them")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _browser_or_skip()
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a server that synced the whole shared snapshot."""
    _browser_or_skip()
    root = tmp_path_factory.mktemp("dashboard")
    catalog = catalog_copy(SKYPILOT_DIR, root / "catalog")
    with dashboard_server(catalog_dir=catalog, data_dir=root / "data",
                          log=root / "serve.log") as base:
        yield base


class Console:
    """Console errors and uncaught exceptions of the pages it watches."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.expected: list[str] = []

    def watch(self, page: Any) -> Any:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        return page

    def expect(self, fragment: str) -> None:
        """An error the test provokes on purpose (Chromium logs every 4xx answer)."""
        self.expected.append(fragment)

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(f in e for f in self.expected)]


@pytest.fixture
def console() -> Iterator[Console]:
    watcher = Console()
    yield watcher
    assert watcher.unexpected() == [], f"console errors: {watcher.unexpected()}"


@pytest.fixture
def page(browser: Any, dashboard: str, console: Console) -> Iterator[Any]:
    context = browser.new_context(viewport=LAPTOP, base_url=dashboard)
    context.set_default_timeout(20_000)
    try:
        yield console.watch(context.new_page())
    finally:
        context.close()


AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def axe_load(page: Any) -> None:
    """Inject axe-core into every document the page opens (an init script: no CSP applies)."""
    page.add_init_script(path=str(AXE))


def axe_serious(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} — "
            f"{[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
