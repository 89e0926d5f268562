"""Prometheus metrics of the WebSockets, exported at /metrics (the ops dashboard's
"WebSocket connections" panel reads ``gpubroker_ws_connections``)."""

from __future__ import annotations

from prometheus_client import Gauge

WS_CONNECTIONS = Gauge("gpubroker_ws_connections",
                       "Open WebSocket connections (within the per-address cap) by path",
                       ["path"], multiprocess_mode="livesum")  # summed over live workers
