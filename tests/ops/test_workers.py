"""`gpubroker serve --workers 2`: two uvicorn workers on one port, the scheduler in the
supervising process only, and /metrics adding up every process's samples."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO_ROOT, SKYPILOT_DIR
from tests.test_serve import _free_port, _wait


@pytest.fixture(scope="module")
def workers_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, Path]]:
    port = _free_port()
    metrics_dir = tmp_path_factory.mktemp("metrics")
    (metrics_dir / "counter_1.db").write_bytes(b"")  # a stale sample file is cleared at start
    env = {**os.environ, "GPUBROKER_DATA_DIR": str(tmp_path_factory.mktemp("serve")),
           "GPUBROKER_CATALOG_DIR": str(SKYPILOT_DIR), "PROMETHEUS_MULTIPROC_DIR":
           str(metrics_dir), "GPUBROKER_LOG_FORMAT": "json"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    log = tmp_path_factory.mktemp("log") / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gpubroker", "serve", "--port", str(port), "--workers", "2",
             "--sync-interval", "3600"], cwd=REPO_ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process, log)
        yield base, process.pid, log
    finally:
        process.terminate()
        process.wait(30)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def _sample(text: str, name: str, labels: str = "") -> float:
    pattern = rf"^{re.escape(name)}{{{labels}[^}}]*}} ([0-9.e+]+)$" if labels else \
        rf"^{re.escape(name)} ([0-9.e+]+)$"
    return sum(float(m) for m in re.findall(pattern, text, re.M))


def test_two_worker_processes_answer_on_one_port(workers_server: tuple[str, int, Path]) -> None:
    base, pid, _ = workers_server
    workers = [c for c in _children(pid)
               if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()]
    assert len(workers) == 2
    answers = [httpx.get(f"{base}/api/v2/providers/?gpu=H100&per_page=5") for _ in range(10)]
    assert {r.status_code for r in answers} == {200}
    assert answers[0].json()["total"] > 0


def test_metrics_add_up_every_process(workers_server: tuple[str, int, Path]) -> None:
    base, _, log = workers_server
    text = httpx.get(f"{base}/metrics").text
    # The first sync ran in the supervising process, which serves no request: its samples
    # reach a worker's /metrics only through the shared folder.
    assert _sample(text, "gpubroker_offers", 'provider="aws"') > 0
    assert _sample(text, "gpubroker_job_runs_total", 'job="sync",outcome="ok"') == 1
    before = _sample(text, "django_http_responses_total_by_status_total", 'status="200"')
    for _ in range(20):  # new connections: the kernel spreads them over both workers
        with httpx.Client() as client:
            assert client.get(f"{base}/health").status_code == 200
    after = _sample(httpx.get(f"{base}/metrics").text,
                    "django_http_responses_total_by_status_total", 'status="200"')
    assert after - before == 21  # 20 probes + the first scrape, whichever worker answered


def test_one_access_line_per_request_and_no_uvicorn_access_log(
        workers_server: tuple[str, int, Path]) -> None:
    base, _, log = workers_server
    httpx.get(f"{base}/api/v2/providers/?per_page=1", headers={"X-Request-ID": "probe-12345678"})
    lines = [line for line in log.read_text().splitlines() if "probe-12345678" in line]
    assert len(lines) == 1 and '"route"' in lines[0] and '"status": 200' in lines[0]
    assert "uvicorn.access" not in log.read_text()
    assert '" 200 OK' not in log.read_text()  # uvicorn's own access line format
