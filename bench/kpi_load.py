"""LOAD TEST DATA for bench_kpi: the real catalog snapshots replayed over simulated time.

Never market data: every price is a real catalog price, but the times are made up. Each
simulated hour one "sync" observes every offer of every provider, cycling through that
provider's real catalog versions (the shared snapshot, plus the past Vast.ai and RunPod
versions), until the wanted number of observations exists. Rows are generated inside each
engine (SQLite recursive CTE, PostgreSQL generate_series, ClickHouse numbers()), from a small
table of the replayed rows, so ten million take a minute or two, not an hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

REPLAY_COLUMNS = ("provider", "instance_type", "region", "spot", "gpu_name", "gpu_count",
                  "price_per_hour", "price_per_gpu_hour", "version", "versions")
SOURCE = "load test: replayed snapshot, simulated time"


def replay_rows(history_dir: Path) -> list[tuple]:
    """One row per (provider, version, offer with a known GPU); version 0 = offers now."""
    from market.models import Offer

    versions: dict[str, list[list[tuple]]] = {}
    for o in Offer.objects.exclude(gpu_name=None).values_list(*REPLAY_COLUMNS[:8]):
        versions.setdefault(o[0], [[]])[0].append(o)
    for path in sorted(history_dir.glob("*/*.csv")):
        rows = _version_rows(path)
        if rows and path.parent.name in versions and sorted(rows) != sorted(
                versions[path.parent.name][0]):
            versions[path.parent.name].append(rows)
    return [(*row, index, len(found)) for found in versions.values()
            for index, version in enumerate(found) for row in version]


def _version_rows(path: Path) -> list[tuple]:
    import httpx

    from market.adapters.catalog import CatalogAdapter
    from market.normalize.offers import offers_normalized

    with httpx.Client() as client:
        fetched = CatalogAdapter(path.parent.name, str(path)).fetch(client)
    batch = offers_normalized(provider=path.parent.name, raw_offers=fetched.offers)
    return [(path.parent.name, v.instance_type, v.region, v.spot, v.gpu_name,
             v.gpu_count, v.price_per_hour, v.price_per_gpu_hour)
            for v in batch.offers.values() if v.gpu_name]


def steps_for(rows: list[tuple], observations: int) -> int:
    """Simulated hours needed: each hour observes one version of every provider."""
    per_provider: dict[str, float] = {}
    for row in rows:
        per_provider[row[0]] = per_provider.get(row[0], 0) + 1 / row[9]
    return int(observations / sum(per_provider.values())) + 1


SQLITE_FILL = """
WITH RECURSIVE steps(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM steps WHERE k < %(last)s)
INSERT INTO market_priceobservation (provider, instance_type, region, spot, gpu_name,
    gpu_count, price_per_hour, price_per_gpu_hour, observed_at, source)
SELECT r.provider, r.instance_type, r.region, r.spot, r.gpu_name, r.gpu_count,
       r.price_per_hour, r.price_per_gpu_hour,
       strftime('%%Y-%%m-%%d %%H:%%M:%%S', %(start)s, '+' || k || ' hours'), %(source)s
FROM steps JOIN kpi_replay AS r ON r.version = k %% r.versions
LIMIT %(rows)s
"""

POSTGRES_FILL = """
INSERT INTO market_priceobservation (provider, instance_type, region, spot, gpu_name,
    gpu_count, price_per_hour, price_per_gpu_hour, observed_at, source)
SELECT r.provider, r.instance_type, r.region, r.spot, r.gpu_name, r.gpu_count,
       r.price_per_hour, r.price_per_gpu_hour,
       %(start)s::timestamptz + k * interval '1 hour', %(source)s
FROM generate_series(0, %(last)s) AS k JOIN kpi_replay AS r ON r.version = k %% r.versions
LIMIT %(rows)s
"""

CLICKHOUSE_FILL = """
INSERT INTO gpubroker_observations
SELECT 1000000000 + rowNumberInAllBlocks(), r.provider, r.instance_type, r.region, r.spot,
       r.gpu_name, r.gpu_count, r.price_per_hour, r.price_per_gpu_hour,
       {start:DateTime64(6, 'UTC')} + toIntervalHour(s.number), {source:String}
FROM numbers({steps:UInt64}) AS s CROSS JOIN kpi_replay AS r
WHERE r.version = s.number % r.versions
LIMIT {rows:UInt64}
"""


def fill_primary(rows: list[tuple], observations: int, now: datetime) -> float:
    """Generate the observations in the primary database; seconds it took."""
    import time

    from django.db import connection

    steps = steps_for(rows, observations)
    start = now - timedelta(hours=steps)
    clock = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE kpi_replay (provider TEXT, instance_type TEXT, "
                       "region TEXT, spot BOOLEAN, gpu_name TEXT, gpu_count FLOAT, "
                       "price_per_hour FLOAT, price_per_gpu_hour FLOAT, version INT, "
                       "versions INT)")
        cursor.executemany("INSERT INTO kpi_replay VALUES (" + ", ".join(
            ["%s"] * len(REPLAY_COLUMNS)) + ")", rows)
        postgres = connection.vendor == "postgresql"
        stamp: Any = start if postgres else start.strftime("%Y-%m-%d %H:%M:%S")
        indexes = _indexes_drop(cursor, postgres)  # bulk load, then index: much faster
        cursor.execute(POSTGRES_FILL if postgres else SQLITE_FILL, {
            "last": steps, "start": stamp, "source": SOURCE, "rows": observations})
        for ddl in indexes:
            cursor.execute(ddl)
        cursor.execute("ANALYZE")
    return time.perf_counter() - clock


def _indexes_drop(cursor: Any, postgres: bool) -> list[str]:
    """Drop the observation table's secondary indexes; the statements that rebuild them."""
    if postgres:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = "
                       "'market_priceobservation' AND indexname NOT LIKE '%%pkey'")
    else:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                       "tbl_name = 'market_priceobservation' AND sql IS NOT NULL")
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f'DROP INDEX "{name}"')
    return [ddl for _, ddl in found]


def fill_clickhouse(url: str, rows: list[tuple], observations: int, now: datetime) -> float:
    import time

    from kpi.clickhouse import ROLLUPS, clickhouse_client

    client = clickhouse_client(url)
    steps = steps_for(rows, observations)
    clock = time.perf_counter()
    client.command("DROP TABLE IF EXISTS kpi_replay")
    client.command("CREATE TABLE kpi_replay (provider String, "
                   "instance_type String, region String, spot Bool, gpu_name String, "
                   "gpu_count Float64, price_per_hour Float64, price_per_gpu_hour Float64, "
                   "version UInt32, versions UInt32) ENGINE = Memory")
    client.insert("kpi_replay", REPLAY_COLUMNS, rows)
    client.query(CLICKHOUSE_FILL, {"start": now - timedelta(hours=steps), "source": SOURCE,
                                   "steps": steps, "rows": observations})
    for table in ("gpubroker_observations", *ROLLUPS):  # as background merges would
        client.command(f"OPTIMIZE TABLE {table} FINAL")
    client.command("DROP TABLE kpi_replay")
    return time.perf_counter() - clock
