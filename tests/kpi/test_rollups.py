"""ClickHouse's fast paths answer exactly what the raw rows and the SQL engine answer.

Daily and weekly `history` on ClickHouse reads the daily price rollup (a materialized view)
for the whole days of a window and the raw observations for its ragged ends; `gpu/{gpu}`
reads the offers with one GROUPING SETS query. Here each is compared with the plain
queries on the raw rows (ClickHouse's quantileExactInclusive) and with the SQL engine,
after real catalog versions are backfilled at unaligned times, and after retention.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from kpi import selectors, trend
from kpi.clickhouse import (
    OBSERVATIONS,
    ROLLUPS,
    VIEWS,
    ClickHouseEngine,
    _views_create,
    clickhouse_client,
    clickhouse_fragments,
    clickhouse_reset,
    whole_days,
)
from kpi.engines import SqlEngine, bind, expand_lists, render
from kpi.trend import _filters
from market.normalize.gpu_names import canonical_gpu_names
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.django_db
HISTORY = SHARED_DATA / "catalogs" / "history"
# (catalog version, hours before now): several in one hour, one day, and days apart.
VERSIONS = [("vast/0e7ecd677444.csv", 50.9), ("vast/00690e7666c7.csv", 50.6),
            ("vast/b908219ac2bf.csv", 26.25), ("runpod/0727c2bd9e77.csv", 50.75),
            ("runpod/403c56354cf8.csv", 3.1), ("vast/00690e7666c7.csv", 2.02)]


def _raw_history(engine: ClickHouseEngine, interval: str, params: dict) -> list[dict]:
    """The series straight from the raw observations (the text every engine shares)."""
    text = render("HISTORY", **clickhouse_fragments(interval))
    sql = bind(text, params, lambda name, value: "{" + name + ":" + {
        bool: "UInt8", str: "String", datetime: "DateTime64(6, 'UTC')"}[type(value)] + "}")
    return engine.client.query(sql, expand_lists(params))


def _rollups_match_raw(url: str) -> None:
    client = clickhouse_client(url)
    raw = int(client.query(f"SELECT count() AS n FROM {OBSERVATIONS}", {})[0]["n"])
    for table in ROLLUPS:
        found = client.query(f"SELECT sum(observations) AS n FROM {table}", {})
        assert int(found[0]["n"] or 0) == raw, table


def _windows(now: datetime) -> list[tuple[str, datetime, datetime]]:
    return [("hour", now - timedelta(days=7), now),
            ("hour", now - timedelta(hours=50, minutes=47), now - timedelta(hours=2, seconds=3)),
            ("day", now - timedelta(days=90), now),
            ("day", now - timedelta(hours=50, minutes=40), now - timedelta(hours=3)),
            ("day", now - timedelta(hours=26, minutes=20), now - timedelta(hours=26, minutes=5)),
            ("week", now - timedelta(days=365), now)]


def _check_history(url: str, now: datetime, gpus: list[str]) -> int:
    ch = ClickHouseEngine(url)
    points = 0
    for interval, since, until in _windows(now):
        for provider, spot in ((None, None), ("vast", False), ("runpod", None)):
            params = _filters(gpus, provider, spot, since, until)
            fast = ch.rows("HISTORY", interval=interval, **params)
            assert fast == _raw_history(ch, interval, params), (interval, since, provider)
            points += len(fast)
            kwargs = {"gpus": gpus, "provider": provider, "spot": spot,
                      "interval": interval, "since": since, "until": until}
            assert (trend.kpi_history(engine=ch, **kwargs)["points"]
                    == trend.kpi_history(engine=SqlEngine(), **kwargs)["points"])
    return points


def test_history_from_the_rollups_equals_the_raw_rows_and_the_sql_engine(chdb_url) -> None:
    now = timezone.now()
    clickhouse_reset(chdb_url)
    with override_settings(CLICKHOUSE_URL=chdb_url):
        for version, hours in VERSIONS:
            call_command("backfill", "--at", (now - timedelta(hours=hours)).isoformat(),
                         str(HISTORY / version))
    _rollups_match_raw(chdb_url)
    for gpus in (canonical_gpu_names(), selectors.gpu_members("RTX4090")):
        assert _check_history(chdb_url, now, gpus) > 0
    with override_settings(CLICKHOUSE_URL=chdb_url):  # raw for a day, the rest rolled up
        call_command("kpi_retention", "--raw-days", "1")
    _rollups_match_raw(chdb_url)
    cutoff = datetime.combine((now - timedelta(days=1)).date(), datetime.min.time(), UTC)
    client = clickhouse_client(chdb_url)
    for table in ROLLUPS:
        left = client.query(f"SELECT count() AS n FROM {table} WHERE at < "
                            f"toDateTime('{cutoff:%Y-%m-%d %H:%M:%S}', 'UTC')", {})
        assert int(left[0]["n"]) == 0, table
    assert _check_history(chdb_url, now, canonical_gpu_names()) > 0


def test_new_views_refill_their_rollups_from_the_observations(chdb_url) -> None:
    now = timezone.now()
    clickhouse_reset(chdb_url)
    with override_settings(CLICKHOUSE_URL=chdb_url):
        for version, hours in VERSIONS[:3]:
            call_command("backfill", "--at", (now - timedelta(hours=hours)).isoformat(),
                         str(HISTORY / version))
    client = clickhouse_client(chdb_url)
    for view, (table, _) in VIEWS.items():  # a store made before the rollups existed
        client.command(f"DROP VIEW {view}")
        client.command(f"TRUNCATE TABLE {table}")
    _views_create(client)
    _rollups_match_raw(chdb_url)
    assert _check_history(chdb_url, now, canonical_gpu_names()) > 0


def test_whole_days_are_the_days_inside_the_window() -> None:
    at = datetime(2026, 11, 3, 10, 17, 5, tzinfo=UTC)
    assert whole_days(at - timedelta(days=2), at) == {
        "whole_since": datetime(2026, 11, 2, tzinfo=UTC),
        "whole_until": datetime(2026, 11, 3, tzinfo=UTC)}
    aligned = datetime(2026, 11, 3, tzinfo=UTC)
    assert whole_days(aligned, aligned + timedelta(days=1)) == {
        "whole_since": aligned, "whole_until": aligned + timedelta(days=1)}
    assert whole_days(at, at + timedelta(hours=5)) == {  # no whole day: all from raw rows
        "whole_since": at + timedelta(hours=5), "whole_until": at + timedelta(hours=5)}


@pytest.mark.parametrize("gpu", ["H100", "A100", "RTX4090", "T4", "MI300X"])
def test_gpu_offer_queries_folded_into_one_equal_the_four(snapshot_engines, gpu) -> None:
    ch = snapshot_engines["clickhouse"]
    members = selectors.gpu_members(gpu)
    folded = ch.rows_each(selectors.GPU_OFFER_QUERIES, gpus=members)
    for name in selectors.GPU_OFFER_QUERIES:
        plain = ch.rows(name, gpus=members)
        if name in ("GPU_PRICES", "GPU_PROVIDER_PRICES"):  # no ORDER BY in the plain text
            folded[name].sort(key=lambda r: (r.get("provider", ""), r["spot"]))
            plain.sort(key=lambda r: (r.get("provider", ""), r["spot"]))
        assert folded[name] == plain, name
        assert plain, name
