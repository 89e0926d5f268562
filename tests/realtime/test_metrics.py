"""The metrics the ops dashboards read exist at /metrics; ``gpubroker_ws_connections`` counts
open WebSockets by path while they are open."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client
from prometheus_client import REGISTRY

from config.asgi import application
from tests.conftest import REPO_ROOT
from tests.support.ws import ORIGIN, WAIT_S

DASHBOARDS = REPO_ROOT / "deploy" / "grafana" / "dashboards"


def _dashboard_series() -> set[str]:
    """Every ``gpubroker_*``/``django_*`` series a dashboard panel queries."""
    names = set()
    for path in DASHBOARDS.glob("*.json"):
        for panel in json.loads(path.read_text())["panels"]:
            for target in panel.get("targets", []):
                names.update(re.findall(r"\b((?:gpubroker|django)_\w+)", target.get("expr", "")))
    return names


@pytest.mark.django_db
def test_every_series_a_dashboard_reads_is_registered_and_ours_are_exported() -> None:
    series = _dashboard_series()
    assert {"gpubroker_ws_connections", "gpubroker_alerts_fired_total"} <= series
    # a labelled family shows in the text only once it has a sample, so ask the registry
    # (every series name it would export, ``_total``/``_bucket`` included)
    import common.jobs  # noqa: F401  (loaded by whatever runs jobs: serve, worker, beat)

    registered = set(REGISTRY._names_to_collectors)
    assert series - registered == set()
    text = Client().get("/metrics").content.decode()
    assert "# TYPE gpubroker_ws_connections gauge" in text
    assert re.search(r"^gpubroker_alerts_fired_total \d", text, re.MULTILINE)


def _open(path: str) -> float:
    return REGISTRY.get_sample_value("gpubroker_ws_connections", {"path": path}) or 0.0


@pytest.mark.django_db(transaction=True)
def test_ws_connections_are_counted_by_path_while_open(settings: Any) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    paths = ["/ws/offers/", "/ws/offers/", "/ws/notifications/"]

    async def session() -> tuple[dict[str, float], dict[str, float]]:
        before = {p: _open(p) for p in set(paths)}
        clients = [WebsocketCommunicator(application, p, headers=ORIGIN) for p in paths]
        for client in clients:
            assert (await client.connect(WAIT_S))[0]
        during = {p: _open(p) - before[p] for p in before}
        for client in clients:
            await client.send_input({"type": "websocket.disconnect", "code": 1000})
            await client.wait(WAIT_S)
        return during, {p: _open(p) - before[p] for p in before}

    during, after = asyncio.run(session())
    assert during == {"/ws/offers/": 2, "/ws/notifications/": 1}
    assert after == {"/ws/offers/": 0, "/ws/notifications/": 0}
