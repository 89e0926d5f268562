"""A real dashboard for browser tests, screenshots and the page bench: ``gpubroker serve``
on a free port over a catalog folder, and Debian's Chromium driven by Playwright.

``playwright install`` cannot download browsers here, so Playwright launches the system
Chromium (``GPUBROKER_CHROMIUM``, default ``/usr/bin/chromium``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("GPUBROKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-dev-shm-usage"]
START_TIMEOUT_S = 240


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set GPUBROKER_CHROMIUM)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def catalog_copy(source: Path, target: Path, *, replace: dict[str, Path] | None = None) -> Path:
    """A catalog folder of links to ``source``'s clouds; ``replace`` points some clouds'
    ``vms.csv`` at other real versions (e.g. one from the history folder)."""
    for cloud in sorted(p for p in source.iterdir() if (p / "vms.csv").exists()):
        (target / cloud.name).mkdir(parents=True, exist_ok=True)
        catalog_point(target, cloud.name, (replace or {}).get(cloud.name, cloud / "vms.csv"))
    return target


def catalog_point(folder: Path, cloud: str, csv: Path) -> None:
    """Make ``folder/<cloud>/vms.csv`` the text of ``csv`` (atomically, for a running sync)."""
    link, temporary = folder / cloud / "vms.csv", folder / cloud / "vms.csv.next"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(csv.resolve())
    temporary.replace(link)


@contextmanager
def dashboard_server(*, catalog_dir: Path, data_dir: Path, log: Path,
                     sync_interval_s: int = 0,
                     env_extra: dict[str, str] | None = None) -> Iterator[str]:
    """``gpubroker serve`` (SQLite in ``data_dir``, first sync from ``catalog_dir``); yields
    its base URL once /health answers, stops it afterwards. ``env_extra``: more settings
    (a live provider opted in, pointed at a local payload server)."""
    port = free_port()
    env = {**os.environ, "GPUBROKER_DATA_DIR": str(data_dir),
           "GPUBROKER_CATALOG_DIR": str(catalog_dir), "GPUBROKER_LOG_LEVEL": "WARNING"}
    for name in ("DATABASE_URL", "REDIS_URL", "GPUBROKER_LIVE_PROVIDERS"):
        env.pop(name, None)
    env.update(env_extra or {})
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gpubroker", "serve", "--port", str(port),
             "--sync-interval", str(sync_interval_s)],
            cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_healthy(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"serve did not answer in time:\n{log.read_text()}")


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (the system one) under Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
