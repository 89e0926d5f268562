"""Prometheus metrics of syncs, exported at /metrics with Django's own metrics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prometheus_client import Counter, Gauge, Histogram

if TYPE_CHECKING:
    from market.services.sync import SyncResult

SYNC_DURATION = Histogram(
    "gpubroker_sync_duration_seconds", "Time to fetch and store one provider", ["provider"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
SYNC_OFFERS = Gauge("gpubroker_offers", "Offers stored per provider after its last sync",
                    ["provider"], multiprocess_mode="mostrecent")  # one series across workers
SYNC_FAILURES = Counter("gpubroker_sync_failures_total", "Failed provider syncs", ["provider"])
SYNC_UNKNOWN_GPUS = Counter("gpubroker_sync_unknown_gpu_rows_total",
                            "Rows whose GPU name is not known", ["provider"])


def sync_observed(result: SyncResult) -> None:
    SYNC_DURATION.labels(result.provider).observe(result.duration_s)
    SYNC_OFFERS.labels(result.provider).set(result.offers)
    if result.status in ("failed", "rejected"):
        SYNC_FAILURES.labels(result.provider).inc()
    if result.unknown_gpus:
        SYNC_UNKNOWN_GPUS.labels(result.provider).inc(sum(result.unknown_gpus.values()))
