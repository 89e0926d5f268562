"""Prometheus metrics of alerts, exported at /metrics (a Celery worker exports its own on
``GPUBROKER_WORKER_METRICS_PORT``); the ops dashboard's "Alerts fired" panel reads
``gpubroker_alerts_fired_total``."""

from __future__ import annotations

from prometheus_client import Counter

ALERTS_FIRED = Counter("gpubroker_alerts_fired_total",
                       "Alert firings (one per alert per sync whose changes crossed it, each a "
                       "stored notification)")
