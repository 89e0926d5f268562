"""Dashboard bench: page weight and time to first render of the offers page in Chromium,
with more than 5,000 real offers stored.

    python bench/bench_dashboard.py [--runs 7]

The store holds the whole shared SkyPilot snapshot plus the older real catalog versions
from ``catalogs/history`` (runpod@403c56354cf8, vast@0e7ecd677444, vast@b908219ac2bf), each
synced as its own catalog folder so that they add offers instead of replacing them. A real
``gpubroker serve`` answers; Debian's Chromium (through Playwright) loads each page in a
fresh browser context (cold cache) and reports the Paint Timing API's first contentful
paint, DOMContentLoaded and load, and every byte the page fetched (encoded body sizes).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.browser import catalog_copy, chromium, dashboard_server  # noqa: E402

SHARED = REPO.parent / "shared" / "data" / "catalogs"
EXTRA = {"runpod-403c56354cf8": "runpod/403c56354cf8.csv",
         "vast-0e7ecd677444": "vast/0e7ecd677444.csv",
         "vast-b908219ac2bf": "vast/b908219ac2bf.csv"}
PAGES = [
    ("offers, default (50 rows)", "/"),
    ("offers, 200 rows", "/?per_page=200"),
    ("offers, 500 rows", "/?per_page=500"),
    ("offers, gpu=H100 sorted by $/GPU-h", "/?gpu=H100&sort=price_per_gpu_hour"),
    ("offers, empty answer + explainer", "/?gpu=H100&max_price=1"),
]
TIMING = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = Object.fromEntries(
    performance.getEntriesByType('paint').map(p => [p.name, p.startTime]));
  const resources = performance.getEntriesByType('resource');
  return {fcp: paint['first-contentful-paint'], dcl: nav.domContentLoadedEventEnd,
          load: nav.loadEventEnd, ttfb: nav.responseStart, html: nav.encodedBodySize,
          assets: resources.reduce((s, r) => s + r.encodedBodySize, 0),
          requests: resources.length + 1};
}"""


def catalog(root: Path) -> Path:
    folder = catalog_copy(SHARED / "skypilot", root / "catalog")
    for name, csv in EXTRA.items():
        (folder / name).mkdir()
        (folder / name / "vms.csv").symlink_to((SHARED / "history" / csv).resolve())
    return folder


def measure(browser: Any, base: str, path: str, runs: int) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        context = browser.new_context(base_url=base, viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.goto(path, wait_until="load")
        page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint')"
                               ".length > 0")
        samples.append(page.evaluate(TIMING))
        context.close()
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def server_side(base: str, path: str, runs: int) -> tuple[float, int, int]:
    times, body = [], b""
    with httpx.Client(base_url=base, timeout=60) as client:
        for _ in range(runs):
            start = time.perf_counter()
            body = client.get(path).content
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(body), len(gzip.compress(body))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with dashboard_server(catalog_dir=catalog(root), data_dir=root / "data",
                              log=root / "serve.log") as base, chromium() as browser:
            total = httpx.get(f"{base}/api/v2/providers/?per_page=1").json()["total"]
            print(f"{total:,} offers stored; median of {args.runs} cold loads each\n")
            print("| page | HTML | HTML gzip | all bytes | requests | server ms | TTFB ms "
                  "| first contentful paint ms | DOMContentLoaded ms | load ms |")
            print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for label, path in PAGES:
                server_ms, html, html_gz = server_side(base, path, args.runs)
                m = measure(browser, base, path, args.runs)
                print(f"| {label} `{path}` | {html / 1024:.0f} KiB | {html_gz / 1024:.0f} KiB "
                      f"| {(m['html'] + m['assets']) / 1024:.0f} KiB | {m['requests']:.0f} "
                      f"| {server_ms:.0f} | {m['ttfb']:.0f} | {m['fcp']:.0f} | {m['dcl']:.0f} "
                      f"| {m['load']:.0f} |")


if __name__ == "__main__":
    main()
