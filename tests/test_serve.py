"""`gpubroker serve` end to end: a fresh data directory, the shared snapshot, a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT, SKYPILOT_DIR


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    port = _free_port()
    env = {**os.environ, "GPUBROKER_DATA_DIR": str(tmp_path_factory.mktemp("serve")),
           "GPUBROKER_CATALOG_DIR": str(SKYPILOT_DIR)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    log = tmp_path_factory.mktemp("log") / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gpubroker", "serve", "--port", str(port),
             "--sync-interval", "0"], cwd=REPO_ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process, log)
        yield base, log.read_text()
    finally:
        process.terminate()
        process.wait(20)


def _wait(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    pytest.fail(f"serve did not answer in time:\n{log.read_text()}")


def test_fresh_serve_syncs_every_cloud_and_lists_it(server: tuple[str, str]) -> None:
    base, log = server
    providers = httpx.get(f"{base}/api/v2/providers/config").json()["providers"]
    catalog = [p for p in providers if p["kind"] == "catalog"]
    assert len(catalog) == 19
    assert all(p["status"] == "ok" and p["offers"] > 0 for p in catalog)
    live = [p for p in providers if p["kind"] == "api"]
    assert live and all(p["status"] == "disabled" and p["offers"] == 0 and p["error"]
                        for p in live)  # live APIs are opt-in: each says how to enable it
    assert "19/19 providers ok" in log


def test_health_reports_a_fresh_sync(server: tuple[str, str]) -> None:
    body = httpx.get(f"{server[0]}/health").json()
    assert body["database"] == "ok" and 0 <= body["last_sync_age_s"] < 600


def test_docs_and_their_assets_are_served(server: tuple[str, str]) -> None:
    base = server[0]
    page = httpx.get(f"{base}/api/v2/docs")
    assert page.status_code == 200 and "swagger-ui" in page.text
    assert httpx.get(f"{base}/static/ninja/swagger-ui-bundle.js").status_code == 200
    schema = httpx.get(f"{base}/api/v2/openapi.json").json()
    assert "/api/v2/providers/" in schema["paths"]


def test_metrics_include_sync_figures(server: tuple[str, str]) -> None:
    text = httpx.get(f"{server[0]}/metrics").text
    assert 'gpubroker_offers{provider="lambda"}' in text
    assert "gpubroker_sync_duration_seconds_bucket" in text
    assert "django_http_requests_total_by_method_total" in text


def test_query_over_http(server: tuple[str, str]) -> None:
    body = httpx.get(f"{server[0]}/api/v2/providers/",
                     params={"q": "gpu=H100 gpu_count>=8 spot=false", "per_page": 5}).json()
    assert body["total"] > 0
    assert all(o["gpu_count"] >= 8 and not o["spot"] for o in body["items"])
