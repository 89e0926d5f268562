"""Price history from real catalog versions: moves, series, backfill and retention, on both
engines. Expected values come from the CSVs (tests/market/catalog_truth.py's reader)."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import httpx
import numpy as np
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from kpi import insights, selectors, trend
from kpi.clickhouse import OBSERVATIONS, ClickHouseEngine, clickhouse_client, clickhouse_reset
from kpi.engines import SqlEngine
from kpi.models import DailyPrice
from market.adapters.catalog import CatalogAdapter
from market.models import PriceObservation
from market.normalize.gpu_names import canonical_gpu_names
from market.services.sync import providers_sync
from mathcore.market_stats import pct_change
from tests.conftest import SHARED_DATA
from tests.kpi.kpi_truth import family
from tests.market.catalog_truth import Expected, expected_offers

pytestmark = pytest.mark.django_db
VAST = SHARED_DATA / "catalogs" / "history" / "vast"
OLD, NEW = VAST / "0e7ecd677444.csv", VAST / "00690e7666c7.csv"


def _version(path: Path, tmp: Path) -> dict[tuple, Expected]:
    (tmp / "vast").mkdir(parents=True)
    shutil.copy(path, tmp / "vast" / "vms.csv")
    return {(k[1], k[2], k[3]): e for k, e in expected_offers(tmp).items()}


@pytest.fixture
def versions(tmp_path) -> tuple[dict, dict]:
    return _version(OLD, tmp_path / "old"), _version(NEW, tmp_path / "new")


def _truth_moves(old: dict, new: dict) -> set[tuple]:
    return {(k[0], k[1], k[2], old[k].price, new[k].price) for k in old.keys() & new.keys()
            if abs(old[k].price - new[k].price) > 1e-9}


def _moves(result: dict) -> set[tuple]:
    return {(m["instance_type"], m["region"], m["spot"], round(m["old_price_per_hour"], 6),
             round(m["new_price_per_hour"], 6)) for m in result["drops"] + result["rises"]}


def _engines(url: str) -> list:
    return [SqlEngine(), ClickHouseEngine(url)]


def test_two_vast_versions_synced_in_turn_show_the_real_moves(versions, chdb_url) -> None:
    old, new = versions
    clickhouse_reset(chdb_url)
    with override_settings(CLICKHOUSE_URL=chdb_url), httpx.Client() as client:
        for path in (OLD, NEW):  # the after-sync listener streams each sync to ClickHouse
            providers_sync(adapters=[CatalogAdapter("vast", str(path))], client=client)
    want = _truth_moves(old, new)
    assert len(want) >= 5  # real price moves between the two versions
    for engine in _engines(chdb_url):
        result = insights.kpi_insights_market(engine=engine, limit=500)
        assert _moves(result) == want, engine.name
        assert all(m["change"] < 0 for m in result["drops"])
        assert all(m["change"] > 0 for m in result["rises"])
        moved = result["drops"][0]
        series = trend.kpi_history(gpus=[moved["gpu"]], provider="vast", interval="hour",
                                   engine=engine)["points"]
        prices = [(p["min"], p["max"]) for p in series]
        assert any(lo <= moved["old_price_per_gpu_hour"] <= hi for lo, hi in prices)
        assert any(lo <= moved["new_price_per_gpu_hour"] <= hi for lo, hi in prices)


def _per_gpu_hour(rows: dict) -> list[float]:
    return [e.price / e.count for e in rows.values()]


def test_backfilled_versions_make_a_daily_history(versions, chdb_url) -> None:
    old, new = versions
    now = timezone.now()
    t_old, t_new = now - timedelta(days=3), now - timedelta(days=1)
    clickhouse_reset(chdb_url)
    with override_settings(CLICKHOUSE_URL=chdb_url):
        call_command("backfill", "--at", t_old.isoformat(), str(OLD))
        call_command("backfill", "--at", t_new.isoformat(), str(NEW))
        call_command("backfill", "--at", t_new.isoformat(), str(NEW))  # again: adds nothing
    assert PriceObservation.objects.count() == len(old) + len(new)
    ch_rows = clickhouse_client(chdb_url).query(f"SELECT count() AS n FROM {OBSERVATIONS}", {})
    assert int(ch_rows[0]["n"]) == len(old) + len(new)
    for engine in _engines(chdb_url):
        points = trend.kpi_history(gpus=canonical_gpu_names(), provider="vast",
                                   interval="day", engine=engine)["points"]
        assert [p["time"].date() for p in points] == [t_old.date(), t_new.date()]
        for point, version in zip(points, (old, new), strict=True):
            prices = _per_gpu_hour(version)
            assert point["observations"] == len(version)
            assert point["min"] == pytest.approx(min(prices), abs=1e-6)
            assert point["median"] == pytest.approx(float(np.median(prices)), abs=1e-6)
            assert point["max"] == pytest.approx(max(prices), abs=1e-6)
        moves = insights.kpi_insights_market(engine=engine, since=t_new, limit=500)
        assert _moves(moves) == _truth_moves(old, new)
        _check_trend(engine, old, new)


def _check_trend(engine, old: dict, new: dict) -> None:
    gpu = "RTX4090"
    medians = [float(np.median([e.price / e.count for e in v.values()
                                if family(e) == gpu and not e.spot])) for v in (old, new)]
    result = selectors.kpi_gpu(gpu=gpu, engine=engine)["trend"]
    assert result["days_7d"] == 2 and result["volatility_7d"] is None
    assert result["change_7d"] == pytest.approx(pct_change(*medians), abs=1e-6)
    assert result["reasons"]["volatility_7d"].endswith("found 2")


def test_retention_rolls_old_rows_into_days_and_history_keeps_them(versions,
                                                                     chdb_url) -> None:
    old, new = versions
    now = timezone.now()
    t_old, t_new = now - timedelta(days=100), now - timedelta(days=1)
    clickhouse_reset(chdb_url)
    with override_settings(CLICKHOUSE_URL=chdb_url):
        call_command("backfill", "--at", t_old.isoformat(), str(OLD))
        call_command("backfill", "--at", t_new.isoformat(), str(NEW))
        call_command("kpi_retention", "--raw-days", "90")
    assert PriceObservation.objects.count() == len(new)
    assert DailyPrice.objects.filter(day=t_old.date()).count() > 0
    ch_rows = clickhouse_client(chdb_url).query(f"SELECT count() AS n FROM {OBSERVATIONS}", {})
    assert int(ch_rows[0]["n"]) == len(new)
    answers = []
    for engine in _engines(chdb_url):
        points = trend.kpi_history(gpus=canonical_gpu_names(), provider="vast", interval="day",
                                   since=now - timedelta(days=120), engine=engine)["points"]
        assert [p["time"].date() for p in points] == [t_old.date(), t_new.date()]
        rolled = points[0]
        prices = _per_gpu_hour(old)
        assert rolled["observations"] == len(old)
        assert (rolled["min"], rolled["max"]) == pytest.approx((min(prices), max(prices)),
                                                               abs=1e-6)
        answers.append(points)
    assert answers[0] == answers[1]
