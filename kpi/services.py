"""KPI writes: ClickHouse kept in step after each sync; SQLite taught the quantile.

Write, then notify: `clickhouse_after_sync` is an after-sync listener (market.events), so
it runs once every provider's transaction committed. Streaming is idempotent: observations
go by id above the highest id ClickHouse holds, so a repeat sends nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils import timezone

from kpi.clickhouse import (
    OBSERVATION_COLUMNS,
    OBSERVATIONS,
    OFFER_COLUMNS,
    OFFERS,
    ch_time,
    clickhouse_client,
)
from market.models import Offer, PriceObservation
from mathcore.market_stats import quantile

log = logging.getLogger(__name__)
CHUNK = 50_000


class _Quantile:
    """SQLite aggregate ``kpi_quantile(value, q)``: mathcore's quantile over a group."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.q = 0.5

    def step(self, value: float | None, q: float) -> None:
        if value is not None:
            self.values.append(value)
            self.q = q

    def finalize(self) -> float | None:
        return quantile(self.values, self.q) if self.values else None


def sqlite_functions_add(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: SQLite has no percentile function of its own."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("kpi_quantile", 2, _Quantile)


def clickhouse_after_sync(results: list[Any]) -> None:
    """After-sync listener: stream to ClickHouse when ``CLICKHOUSE_URL`` is set."""
    if not settings.CLICKHOUSE_URL:
        return
    try:
        clickhouse_stream(url=settings.CLICKHOUSE_URL)
    except Exception as exc:  # analytics must never fail a sync; the next one catches up
        log.warning("streaming to ClickHouse failed: %s", exc)


def clickhouse_stream(*, url: str) -> dict[str, int]:
    """Copy new price observations and the offers listed now to ClickHouse."""
    client = clickhouse_client(url)
    found = client.query(f"SELECT max(obs_id) AS last FROM {OBSERVATIONS}", {})
    last = int(found[0]["last"] or 0) if found else 0
    streamed = 0
    for chunk in _observations_after(last):
        client.insert(OBSERVATIONS, OBSERVATION_COLUMNS, chunk)
        streamed += len(chunk)
    offers = clickhouse_offers_snapshot(url=url)
    return {"observations": streamed, "offers": offers}


def _observations_after(last_id: int) -> Iterator[list[tuple]]:
    rows = (PriceObservation.objects.filter(id__gt=last_id, gpu_name__isnull=False)
            .order_by("id").values_list("id", *OBSERVATION_COLUMNS[1:]))
    chunk: list[tuple] = []
    for row in rows.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def clickhouse_offers_snapshot(*, url: str) -> int:
    """Insert the offers listed now as a new snapshot, then drop the older snapshots."""
    client = clickhouse_client(url)
    snapshot = timezone.now()
    whole = Offer.objects.filter(gpu_fraction__gte=1)  # as the SQL engines' OFFERS_SQL
    rows = [(snapshot, *row) for row in whole.values_list(
        "provider_id", *OFFER_COLUMNS[2:]).iterator(chunk_size=CHUNK)]
    client.insert(OFFERS, OFFER_COLUMNS, rows)
    client.command(f"DELETE FROM {OFFERS} WHERE snapshot < '{ch_time(snapshot)}'")
    return len(rows)
