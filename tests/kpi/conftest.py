"""KPI fixtures: the two engines over the same data (primary database and chDB)."""

from __future__ import annotations

import pytest

from kpi.clickhouse import ClickHouseEngine, clickhouse_reset
from kpi.engines import SqlEngine
from kpi.services import clickhouse_stream


@pytest.fixture(scope="session")
def chdb_url(tmp_path_factory) -> str:
    """ClickHouse in-process (chDB), one folder per test process."""
    return f"chdb://{tmp_path_factory.mktemp('chdb')}"


@pytest.fixture(scope="module")
def snapshot_engines(synced_snapshot, chdb_url, django_db_blocker) -> dict:
    """The shared snapshot synced, then streamed to chDB: both engines, same data."""
    with django_db_blocker.unblock():
        clickhouse_reset(chdb_url)
        clickhouse_stream(url=chdb_url)
    return {"sql": SqlEngine(), "clickhouse": ClickHouseEngine(chdb_url)}
