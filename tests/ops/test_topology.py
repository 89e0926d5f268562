"""The compose topology without Docker: the services on this machine, and a real Prometheus
(Debian's ``prometheus``) scraping them with the shipped scrape configuration.

A private PostgreSQL and Redis (never the machine's shared ones), ``gpubroker serve
--workers 2 --no-scheduler`` (two ASGI workers behind one port, ``GPUBROKER_SCHEDULER=
celery``), one ``gpubroker worker`` syncing vast from a local catalog server (and failing on a
cloud the server lacks, so a failure is counted), and Prometheus running
``deploy/prometheus.yml`` with only its targets rewritten to these ports. Then every target
is up, and every series a Grafana dashboard in ``deploy/grafana/dashboards`` queries has
samples in Prometheus: a dashboard naming a metric nobody exports fails here.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import yaml
from websockets.sync.client import connect

from tests.conftest import REPO_ROOT
from tests.support.catalogs import CatalogServer, vast_catalog
from tests.support.celery_worker import free_port
from tests.support.postgres import private_postgres, skip_or_fail, wait_until
from tests.support.redis_server import private_redis
from tests.support.stack import migrate, spawn, stack_env, stop
from tests.test_serve import _wait

DEPLOY = REPO_ROOT / "deploy"
SHIPPED_TARGETS = {"web:8000", "worker:9808", "localhost:9090"}
READY_S = 120


def dashboard_series() -> set[str]:
    """Every metric name a dashboard panel's PromQL reads."""
    names: set[str] = set()
    for path in (DEPLOY / "grafana" / "dashboards").glob("*.json"):
        for expr in _exprs(json.loads(path.read_text())):
            names.update(re.findall(r"\b((?:gpubroker|django)_\w+)", expr))
    return names


def _exprs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "expr" and isinstance(value, str):
                yield value
            else:
                yield from _exprs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _exprs(item)


def scrape_config(targets: dict[str, str]) -> dict[str, Any]:
    """deploy/prometheus.yml with its targets mapped to local ports and a 1 s interval."""
    config = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    config["global"]["scrape_interval"] = "1s"
    shipped = set()
    for job in config["scrape_configs"]:
        for group in job["static_configs"]:
            shipped.update(group["targets"])
            group["targets"] = [targets[t] for t in group["targets"]]
    assert shipped == SHIPPED_TARGETS, "deploy/prometheus.yml's targets changed: update the test"
    return config


@dataclass
class Topology:
    web: str
    prometheus: str


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    prometheus = shutil.which("prometheus")
    if prometheus is None:
        skip_or_fail("prometheus is not installed: scripts/ensure_tools.sh (apt-get install "
                     "prometheus)")
    tmp = tmp_path_factory.mktemp("topology")
    with private_postgres() as pg, private_redis(tmp) as redis_server:
        catalogs = CatalogServer(tmp / "catalogs")
        vast_catalog(catalogs.v7, h100_high=False)  # lambda is absent: its sync fails
        web_port, worker_port, prom_port = free_port(), free_port(), free_port()
        env = stack_env(data_dir=tmp / "data", catalogs=catalogs, clouds="vast,lambda",
                        drop=("GPUBROKER_CACHE_PREFIX", "GPUBROKER_CELERY_QUEUE"),
                        DATABASE_URL=pg.url, REDIS_URL=redis_server.url,
                        GPUBROKER_SCHEDULER="celery", GPUBROKER_SYNC_RETRIES="0")
        migrate(env)
        config = scrape_config({"web:8000": f"127.0.0.1:{web_port}",
                                "worker:9808": f"127.0.0.1:{worker_port}",
                                "localhost:9090": f"127.0.0.1:{prom_port}"})
        (tmp / "prometheus.yml").write_text(yaml.safe_dump(config))
        processes = [
            spawn([sys.executable, "-m", "gpubroker", "worker", "--concurrency=2"],
                   {**env, "GPUBROKER_WORKER_METRICS_PORT": str(worker_port)},
                   tmp / "worker.log"),
            spawn([sys.executable, "-m", "gpubroker", "serve", "--port", str(web_port),
                    "--workers", "2", "--no-scheduler"], env, tmp / "serve.log"),
            spawn([prometheus, f"--config.file={tmp / 'prometheus.yml'}",
                    f"--storage.tsdb.path={tmp / 'tsdb'}",
                    f"--web.listen-address=127.0.0.1:{prom_port}"], env, tmp / "prom.log"),
        ]
        try:
            _wait(f"http://127.0.0.1:{web_port}", processes[1], tmp / "serve.log")
            yield Topology(f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{prom_port}")
        finally:
            stop(processes)
            catalogs.close()


def _query(prometheus: str, promql: str) -> list[dict[str, Any]]:
    answer = httpx.get(f"{prometheus}/api/v1/query", params={"query": promql}, timeout=10)
    return answer.json()["data"]["result"] if answer.status_code == 200 else []


def _targets(prometheus: str) -> dict[str, str]:
    try:
        body = httpx.get(f"{prometheus}/api/v1/targets", timeout=10).json()
    except httpx.HTTPError:
        return {}
    return {t["labels"]["job"]: t["health"] for t in body["data"]["activeTargets"]}


def _missing(prometheus: str, names: set[str]) -> set[str]:
    return {n for n in names if not _query(prometheus, f'count({{__name__="{n}"}})')}


def test_prometheus_scrapes_every_target_and_every_dashboard_series(
        topology: Topology) -> None:
    web, prometheus = topology.web, topology.prometheus
    wait_until(lambda: httpx.get(f"{web}/api/v2/providers/?provider=vast&per_page=1")
               .json()["total"] > 0, timeout_s=READY_S, what="the worker's first sync")
    for path in ("/api/v2/providers/?gpu=H100&per_page=5", "/api/v2/providers/config",
                 "/api/v2/no-such-route", "/health"):
        httpx.get(f"{web}{path}", timeout=10)
    names = dashboard_series()
    assert {"gpubroker_sync_duration_seconds_bucket", "gpubroker_ws_connections",
            "django_http_requests_latency_seconds_by_view_method_bucket"} <= names
    with connect(f"{web.replace('http', 'ws')}/ws/offers/", origin="http://localhost"):
        wait_until(lambda: _targets(prometheus) == {
            "gpubroker-web": "up", "gpubroker-worker": "up", "prometheus": "up"},
            timeout_s=READY_S, what=f"every target up: {_targets(prometheus)}")
        deadline = time.monotonic() + READY_S
        while (missing := _missing(prometheus, names)) and time.monotonic() < deadline:
            time.sleep(1)
    assert missing == set(), f"dashboards query series no target exports: {sorted(missing)}"
    failures = _query(prometheus, 'gpubroker_sync_failures_total{provider="lambda"}')
    assert failures and float(failures[0]["value"][1]) >= 1
    offers = _query(prometheus, 'sum by (provider) (gpubroker_offers{provider="vast"})')
    assert offers and float(offers[0]["value"][1]) > 0
