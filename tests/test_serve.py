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
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
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
        yield base, log.read_text(), log
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


def test_fresh_serve_syncs_every_cloud_and_lists_it(server: tuple[str, str, Path]) -> None:
    base, log, _ = server
    providers = httpx.get(f"{base}/api/v2/providers/config").json()["providers"]
    catalog = [p for p in providers if p["kind"] == "catalog"]
    assert len(catalog) == 19
    assert all(p["status"] == "ok" and p["offers"] > 0 for p in catalog)
    live = [p for p in providers if p["kind"] == "api"]
    assert live and all(p["status"] == "disabled" and p["offers"] == 0 and p["error"]
                        for p in live)  # live APIs are opt-in: each says how to enable it
    assert "19/19 providers ok" in log


def test_health_reports_a_fresh_sync(server: tuple[str, str, Path]) -> None:
    body = httpx.get(f"{server[0]}/health").json()
    assert body["database"] == "ok" and 0 <= body["last_sync_age_s"] < 600


def test_docs_and_their_assets_are_served(server: tuple[str, str, Path]) -> None:
    base = server[0]
    page = httpx.get(f"{base}/api/v2/docs")
    assert page.status_code == 200 and "swagger-ui" in page.text
    assert httpx.get(f"{base}/static/ninja/swagger-ui-bundle.js").status_code == 200
    schema = httpx.get(f"{base}/api/v2/openapi.json").json()
    assert "/api/v2/providers/" in schema["paths"]


def test_metrics_include_sync_figures(server: tuple[str, str, Path]) -> None:
    text = httpx.get(f"{server[0]}/metrics").text
    assert 'gpubroker_offers{provider="lambda"}' in text
    assert "gpubroker_sync_duration_seconds_bucket" in text
    assert "django_http_requests_total_by_method_total" in text


def test_query_over_http(server: tuple[str, str, Path]) -> None:
    body = httpx.get(f"{server[0]}/api/v2/providers/",
                     params={"q": "gpu=H100 gpu_count>=8 spot=false", "per_page": 5}).json()
    assert body["total"] > 0
    assert all(o["gpu_count"] >= 8 and not o["spot"] for o in body["items"])


def test_health_is_ok_after_a_good_sync(server: tuple[str, str, Path]) -> None:
    body = httpx.get(f"{server[0]}/health").json()
    assert (body["status"], body["reasons"]) == ("ok", [])


def test_one_log_line_per_4xx(server: tuple[str, str, Path]) -> None:
    base, _, log = server
    marker = f"nosuchfilter{time.monotonic_ns()}"
    assert httpx.get(f"{base}/api/v2/providers/", params={"q": f"{marker}>1"}).status_code == 400
    assert httpx.get(f"{base}/api/v2/providers/999999999").status_code == 404
    time.sleep(1.0)  # let the server flush its log
    text = log.read_text()
    assert sum(marker in line for line in text.splitlines()) == 1
    assert sum("/api/v2/providers/999999999" in line for line in text.splitlines()) == 1


def test_a_second_serve_on_the_busy_port_fails_before_serving_on(
        server: tuple[str, str, Path], tmp_path: Path) -> None:
    port = server[0].rsplit(":", 1)[1]
    env = {**os.environ, "GPUBROKER_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    done = subprocess.run([sys.executable, "-m", "gpubroker", "serve", "--port", port],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}" in done.stderr
    assert "serving on" not in done.stdout + done.stderr
    assert "applying migrations" not in done.stdout  # it failed before doing any work


def test_make_serve_takes_a_port() -> None:
    done = subprocess.run(["make", "-n", "serve", "PORT=8123", "HOST=0.0.0.0"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "gpubroker serve --host 0.0.0.0 --port 8123" in done.stdout


def _make_plan(target: str) -> str:
    done = subprocess.run(["make", "-n", "-B", target], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_serve_installs_runtime_dependencies_only() -> None:
    plan = _make_plan("serve")
    assert "pip install --quiet -e .\n" in plan
    assert "[dev]" not in plan and "torch" not in plan


def test_make_test_adds_the_dev_extras_and_only_a_cpu_torch() -> None:
    plan = _make_plan("test")
    assert "pip install --quiet -e '.[dev]'" in plan
    torch = [line for line in plan.splitlines() if "pip install" in line and "torch" in line]
    assert len(torch) == 1 and "torch==" in torch[0]
    assert "+cpu'" in torch[0] and "https://download.pytorch.org/whl/cpu" in torch[0]
