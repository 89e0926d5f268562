"""Sync on real catalogs: whole snapshot, idempotence, price history, failures kept apart."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx
import pytest
from django.test import override_settings

from market.adapters.catalog import CatalogAdapter, catalog_adapters
from market.models import Offer, PriceObservation, Provider, SyncRun
from market.services.providers import offers_sync_all
from market.services.sync import provider_sync, providers_sync
from tests.conftest import SHARED_DATA, SKYPILOT_DIR
from tests.market.catalog_truth import expected_offers
from tests.support.http import serve_folder

pytestmark = pytest.mark.django_db
HISTORY = SHARED_DATA / "catalogs" / "history"


def _sync_file(name: str, path: Path):
    with httpx.Client() as client:
        return provider_sync(adapter=CatalogAdapter(name, str(path)), client=client)


def test_whole_snapshot_sync_stores_exactly_the_expected_offers() -> None:
    with override_settings(GPUBROKER_CATALOG_DIR=str(SKYPILOT_DIR)):
        results = offers_sync_all()
    expected = expected_offers(SKYPILOT_DIR)
    assert [r.status for r in results] == ["ok"] * 19
    stored = {(o.provider_id, o.instance_type, o.region, o.spot): o.price_per_hour
              for o in Offer.objects.all()}
    assert stored.keys() == expected.keys()
    assert all(abs(stored[k] - e.price) < 1e-6 for k, e in expected.items())
    assert PriceObservation.objects.count() == len(expected)
    assert SyncRun.objects.filter(status="ok").count() == 19


def test_second_sync_of_an_unchanged_source_changes_nothing() -> None:
    first = _sync_file("lambda", SKYPILOT_DIR / "lambda" / "vms.csv")
    observations = PriceObservation.objects.count()
    second = _sync_file("lambda", SKYPILOT_DIR / "lambda" / "vms.csv")
    assert first.added == second.offers > 0
    assert (second.added, second.changed, second.removed) == (0, 0, 0)
    assert PriceObservation.objects.count() == observations


def test_new_catalog_version_updates_prices_removes_vanished_and_appends_history() -> None:
    old, new = HISTORY / "vast" / "0e7ecd677444.csv", HISTORY / "vast" / "00690e7666c7.csv"
    before = expected_offers_from_file(old)
    after = expected_offers_from_file(new)
    _sync_file("vast", old)
    result = _sync_file("vast", new)
    stored = {(o.instance_type, o.region, o.spot): o.price_per_hour
              for o in Offer.objects.filter(provider="vast")}
    assert stored.keys() == after.keys()
    assert result.removed == len(before.keys() - after.keys())
    assert result.added == len(after.keys() - before.keys())
    repriced = {k for k in before.keys() & after.keys() if abs(before[k] - after[k]) > 1e-9}
    assert PriceObservation.objects.filter(provider="vast").count() == \
        len(before) + result.added + len(repriced)


def expected_offers_from_file(path: Path) -> dict[tuple[str, str, bool], float]:
    return {(k[1], k[2], k[3]): e.price for k, e in _expected_single(path).items()}


def _expected_single(path: Path):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "vast").mkdir()
        shutil.copy(path, Path(tmp) / "vast" / "vms.csv")
        return expected_offers(Path(tmp))


def test_failing_provider_keeps_last_good_offers_stale_and_others_go_on(tmp_path: Path) -> None:
    for cloud in ("vast", "lambda"):
        (tmp_path / "v7" / cloud).mkdir(parents=True)
        shutil.copy(SKYPILOT_DIR / cloud / "vms.csv", tmp_path / "v7" / cloud / "vms.csv")
    with serve_folder(tmp_path) as base, httpx.Client() as client:
        providers_sync(adapters=catalog_adapters(catalog_dir="", base_url=base,
                                                 clouds=["vast", "lambda"]), client=client)
    kept = Offer.objects.filter(provider="vast").count()
    with serve_folder(tmp_path, failures={"/v7/vast/vms.csv": 500}) as base, \
            httpx.Client() as client:
        results = providers_sync(adapters=catalog_adapters(catalog_dir="", base_url=base,
                                                           clouds=["vast", "lambda"]),
                                 client=client)
    assert [(r.provider, r.status) for r in results] == [("lambda", "ok"), ("vast", "failed")]
    assert "500" in results[1].error
    vast = Offer.objects.filter(provider="vast")
    assert vast.count() == kept > 0 and all(o.stale for o in vast)
    assert not Offer.objects.filter(provider="lambda", stale=True).exists()
    provider = Provider.objects.get(name="vast")
    assert provider.status == "failed" and "500" in provider.error
    assert SyncRun.objects.filter(provider="vast", status="failed").count() == 1


def test_unreachable_provider_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    adapter = CatalogAdapter("nowhere", "http://127.0.0.1:9/v7/nowhere/vms.csv")
    with httpx.Client(timeout=2) as client:
        result = provider_sync(adapter=adapter, client=client)
    assert result.status == "failed" and "ConnectError" in result.error


def test_disabled_provider_is_not_synced_and_says_why(monkeypatch) -> None:
    monkeypatch.setenv("GPUBROKER_DISABLED_PROVIDERS", "aws,azure")
    with override_settings(GPUBROKER_CATALOG_DIR=str(SKYPILOT_DIR)):
        results = offers_sync_all(only=None)
    clouds = {p.parent.name for p in SKYPILOT_DIR.glob("*/vms.csv")}
    assert {r.provider for r in results} == clouds - {"aws", "azure"}
    assert Provider.objects.get(name="aws").status == "disabled"
    assert not Offer.objects.filter(provider="aws").exists()


def test_gcp_whole_offers_are_stored_and_left_out_gpus_explained_in_config() -> None:
    from django.test import Client

    result = _sync_file("gcp", SHARED_DATA / "catalogs" / "partial" / "gcp" / "vms.csv")
    assert result.status == "ok" and result.offers > 0
    (gcp,) = [p for p in Client().get("/api/v2/providers/config").json()["providers"]
              if p["name"] == "gcp"]
    assert gcp["offers"] == result.offers and gcp["error"] is None
    assert any("n1 hosts" in note for note in gcp["notes"])
    assert gcp["skipped"]["placeholder price 700.0"] == 40


def test_sync_metrics_are_exported() -> None:
    from django.test import Client

    _sync_file("lambda", SKYPILOT_DIR / "lambda" / "vms.csv")
    text = Client().get("/metrics").content.decode()
    assert 'gpubroker_offers{provider="lambda"}' in text
    assert 'gpubroker_sync_duration_seconds_count{provider="lambda"}' in text


def test_offer_history_lists_each_observed_price_oldest_first() -> None:
    from django.test import Client

    old, new = HISTORY / "vast" / "0e7ecd677444.csv", HISTORY / "vast" / "00690e7666c7.csv"
    before, after = expected_offers_from_file(old), expected_offers_from_file(new)
    repriced = sorted(k for k in before.keys() & after.keys()
                      if abs(before[k] - after[k]) > 1e-9)
    assert repriced, "the two real catalog versions differ in some prices"
    _sync_file("vast", old)
    _sync_file("vast", new)
    instance_type, region, spot = repriced[0]
    offer = Offer.objects.get(provider="vast", instance_type=instance_type, region=region,
                              spot=spot)
    body = Client().get(f"/api/v2/providers/{offer.pk}/history").json()
    assert (body["instance_type"], body["region"], body["spot"]) == (instance_type, region, spot)
    prices = [o["price_per_hour"] for o in body["observations"]]
    assert prices == pytest.approx([before[repriced[0]], after[repriced[0]]], abs=1e-6)
    assert Client().get("/api/v2/providers/999999999/history").status_code == 404


@pytest.mark.django_db(transaction=True)  # the sync's own transactions, not the test's
@pytest.mark.parametrize("source", [str(SKYPILOT_DIR / "lambda" / "vms.csv"),
                                    "http://127.0.0.1:9/v7/lambda/vms.csv"],
                         ids=["ok", "refused"])
def test_a_sync_commits_its_run_in_the_transaction_that_wrote_its_offers(source) -> None:
    """The run's id is the store version the offer index and the KPI answers key on
    (`offers_version`): no reader may see the offers a sync wrote under the version before."""
    from django.db import connection

    if source.startswith("http"):  # something to keep, marked stale, when the source fails
        _sync_file("lambda", SKYPILOT_DIR / "lambda" / "vms.csv")
    writes: list[tuple[str, object]] = []

    def watch(execute, sql, params, many, context):
        found = re.match(r'\s*(?:INSERT INTO|UPDATE|DELETE FROM) "(\w+)"', sql)
        if found and found.group(1) in ("market_offer", "market_syncrun"):
            writes.append((found.group(1),
                           connection.atomic_blocks[0] if connection.atomic_blocks else None))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch), httpx.Client(timeout=2) as client:
        provider_sync(adapter=CatalogAdapter("lambda", source), client=client)
    tables = {table for table, _ in writes}
    transactions = {id(block) for _, block in writes}
    assert tables == {"market_offer", "market_syncrun"}
    assert len(transactions) == 1 and writes[0][1] is not None
