"""Screenshots of every dashboard page into docs/screenshots/ (linked from the README).

    .venv/bin/python scripts/screenshots.py            # all of them
    .venv/bin/python scripts/screenshots.py alerts     # some: live (and market), pages,
                                                       # account, alerts

A real ``gpubroker serve`` syncs the shared SkyPilot snapshot with vast at an older real
catalog version; while the offers page is open the newer version is synced, so the live
price highlight and the GPU page's price history are real; for the alerts page vast goes back
to the older version, an alert is set between the two, and the newer version fires it. Needs
Debian's Chromium.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402

from tests.support.browser import (  # noqa: E402
    catalog_copy,
    catalog_point,
    chromium,
    dashboard_server,
)

SHARED = REPO.parent / "shared" / "data" / "catalogs"
OLDER, NEWER = SHARED / "history/vast/0e7ecd677444.csv", SHARED / "history/vast/00690e7666c7.csv"
OUT = REPO / "docs" / "screenshots"
LAPTOP, HALF = {"width": 1440, "height": 900}, {"width": 720, "height": 900}


def shoot(browser: Any, base: str, name: str, path: str, *, wait: str, theme: str = "light",
          viewport: dict[str, int] = LAPTOP, full: bool = False) -> Any:
    context = browser.new_context(base_url=base, viewport=viewport, color_scheme=theme)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(path)
    page.locator(wait).first.wait_for()
    page.wait_for_timeout(400)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)
    print("wrote", OUT / f"{name}.png")
    return context


def live(browser: Any, base: str, catalog: Path) -> None:
    context = browser.new_context(base_url=base, viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto("/?provider=vast&spot=false&sort=-price_per_hour")
    page.wait_for_selector('#live-status[data-state="open"]')
    catalog_point(catalog, "vast", NEWER)
    page.locator("td.price.changed-up, td.price.changed-down").first.wait_for()
    page.wait_for_timeout(600)
    page.locator("td.price.changed-up, td.price.changed-down").first.scroll_into_view_if_needed()
    page.screenshot(path=str(OUT / "offers-live.png"))
    print("wrote", OUT / "offers-live.png")
    context.close()


def account(browser: Any, base: str) -> None:
    context = shoot(browser, base, "account-signed-out", "/account", wait="#login-form")
    page = context.pages[0]
    form = page.locator("#register-form")
    form.get_by_label("Email").fill("grace.hopper@example.com")
    form.get_by_label("Password").fill("compiler-cobol-1959")
    form.get_by_role("button", name="Create account").click()
    page.get_by_text("You can sign in now.").wait_for()
    page.locator("#l-password").fill("compiler-cobol-1959")
    page.get_by_role("button", name="Sign in").click()
    page.locator("#saved-list li").first.wait_for()
    page.locator("#s-name").fill("cheap H100")
    page.locator("#s-q").fill("gpu=H100 price_per_hour<3")
    page.get_by_role("button", name="Save search").click()
    page.locator("#saved-list a").first.wait_for()
    page.locator("#mfa-password").fill("compiler-cobol-1959")  # the step-up it asks for
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.locator("#mfa-secret").wait_for()
    page.screenshot(path=str(OUT / "account.png"))
    print("wrote", OUT / "account.png")
    context.close()


def _vast_price(base: str, instance: str) -> float | None:
    items = httpx.get(f"{base}/api/v2/providers/", params={"provider": "vast", "spot": "false",
                      "per_page": 200}, timeout=120).json()["items"]
    return next((o["price_per_hour"] for o in items if o["instance_type"] == instance), None)


def _vast_at(base: str, catalog: Path, csv: Path, instance: str, price: float) -> None:
    """Point vast at ``csv`` and wait until a sync stored ``instance`` at ``price``."""
    catalog_point(catalog, "vast", csv)
    deadline = time.monotonic() + 180
    while _vast_price(base, instance) != price:
        if time.monotonic() > deadline:
            raise RuntimeError(f"vast never showed {instance} at {price}")
        time.sleep(1)


def alerts(browser: Any, base: str, catalog: Path) -> None:
    instance, old = "1x-H200-32-65536", 3.41  # vast, Hungary: 3.41 → 2.47 in the newer one
    context = browser.new_context(base_url=base, viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(120_000)
    _vast_at(base, catalog, OLDER, instance, old)
    httpx.post(f"{base}/api/v2/auth/register", timeout=60,
               json={"email": "dorothy.vaughan@example.com", "password": "fortran-langley-1961"})
    page.goto("/account")
    page.locator("#l-email").fill("dorothy.vaughan@example.com")
    page.locator("#l-password").fill("fortran-langley-1961")
    page.get_by_role("button", name="Sign in").click()
    page.locator("#alerts-summary").get_by_text("0 alerts").wait_for()
    page.goto("/alerts?gpu=H100&spot=false&max_price_per_gpu=1.5")  # as "Alert me" links
    for name, fields in (("H100 under $1.50/GPU-h", {}),
                         ("H200 on vast under $3", {"#a-gpu": "H200", "#a-provider": "vast",
                                                    "#a-spot": "false", "#a-max-hour": "3",
                                                    "#a-max-gpu": ""})):
        page.locator("#a-name").fill(name)
        for selector, value in fields.items():
            if selector == "#a-spot":
                page.locator(selector).select_option(value)
            else:
                page.locator(selector).fill(value)
        page.get_by_role("button", name="Create alert").click()
        page.locator("#alerts-table tbody tr", has_text=name).wait_for()
    page.wait_for_selector('#live-status[data-state="open"]')
    catalog_point(catalog, "vast", NEWER)
    page.locator("#notes-list li.notification").first.wait_for()
    page.wait_for_timeout(600)
    page.screenshot(path=str(OUT / "alerts.png"), full_page=True)
    print("wrote", OUT / "alerts.png")
    page.get_by_role("button", name="Dark theme").click()
    page.wait_for_timeout(300)
    page.screenshot(path=str(OUT / "alerts-dark.png"), full_page=True)
    print("wrote", OUT / "alerts-dark.png")
    context.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        catalog = catalog_copy(SHARED / "skypilot", root / "catalog", replace={"vast": OLDER})
        with dashboard_server(catalog_dir=catalog, data_dir=root / "data",
                              log=root / "serve.log", sync_interval_s=30) as base, \
                chromium() as browser:
            wanted = set(sys.argv[1:]) or {"live", "pages", "account", "alerts"}
            if "live" in wanted:
                live(browser, base, catalog)
                for name, theme in (("market", "light"), ("market-dark", "dark")):
                    # before the next round of syncs: its moves are the newer vast's
                    shoot(browser, base, name, "/market", wait="#moves-1 + div table",
                          theme=theme).close()
            plan = ("/plan?task=inference&model=Llama-3.1-70B&precision=bf16&batch=8"
                    "&input_tokens=512&output_tokens=256&tokens_m=100&gpu=H100-SXM"
                    "&gpu_count=2&spot=false")
            shots = [
                ("offers", "/", "#offers-table tbody tr", "light", LAPTOP),
                ("offers-dark", "/?gpu=H100,A100&sort=price_per_gpu_hour",
                 "#offers-table tbody tr", "dark", LAPTOP),
                ("offers-empty", "/?gpu=H100&max_price=1", ".empty", "light", LAPTOP),
                ("offers-fractional", "/?provider=azure&fractional=true&q=gpu_fraction%3C1",
                 "#offers-table .badge.share", "light", LAPTOP),
                ("offers-half-width", "/?continent=EU", "#offers-table tbody tr", "light",
                 HALF),
                ("gpu", "/gpu/RTX4090", "#cpt-result table", "light", LAPTOP),
                ("gpu-dark", "/gpu/H100-SXM", "#cpt-result table", "dark", LAPTOP),
                ("compare", "/compare?gpu=H100-SXM,A100-80GB-SXM,L40S,H200-SXM&limit=12",
                 "#ranking tbody tr", "light", LAPTOP),
                ("plan", plan, "#recommendations tbody tr", "light", LAPTOP),
                ("plan-dark", plan, "#recommendations tbody tr", "dark", LAPTOP),
            ]
            for name, path, wait, theme, viewport in shots if "pages" in wanted else []:
                shoot(browser, base, name, path, wait=wait, theme=theme,
                      viewport=viewport).close()
            if "account" in wanted:
                account(browser, base)
            if "alerts" in wanted:
                alerts(browser, base, catalog)


if __name__ == "__main__":
    main()
