"""Which engine answers: ClickHouse when ``CLICKHOUSE_URL`` is set, else the primary DB."""

from __future__ import annotations

from django.conf import settings

from kpi.clickhouse import ClickHouseEngine
from kpi.engines import Engine, SqlEngine


def kpi_engine() -> Engine:
    url = getattr(settings, "CLICKHOUSE_URL", "")
    return ClickHouseEngine(url) if url else SqlEngine()
