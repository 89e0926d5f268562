"""A first run offline: the catalog URL cannot be reached and the store is empty, so the bundled
snapshot is loaded (its offers say so, every page warns, /health is degraded); then a reachable
catalog (the shared SkyPilot files, served by a real local HTTP server) replaces them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.test import Client, override_settings

from market.models import Offer, Provider
from market.services.providers import offers_sync_all
from market.snapshot import PROVENANCE, SNAPSHOT_DATE, SNAPSHOT_LABEL, snapshot_clouds
from tests.conftest import SKYPILOT_DIR
from tests.market.catalog_truth import expected_offers
from tests.support.http import serve_folder

pytestmark = pytest.mark.django_db
CLOUDS = ["aws", "lambda", "vast"]
UNREACHABLE = "http://127.0.0.1:9/catalogs/"  # nothing listens on port 9


def _sync(url: str) -> list:
    with override_settings(GPUBROKER_CATALOG_DIR="", GPUBROKER_CATALOG_URL=url,
                           GPUBROKER_CATALOG_CLOUDS=CLOUDS):
        return offers_sync_all()


def _offers_page() -> dict:
    return Client().get("/api/v2/providers/", {"per_page": 500}).json()


def test_the_snapshot_is_real_rows_with_provenance() -> None:
    assert set(snapshot_clouds()) == {p.parent.name for p in SKYPILOT_DIR.glob("*/vms.csv")}
    assert PROVENANCE["retrieved"] == SNAPSHOT_DATE == "2026-11-26"
    for cloud, entry in PROVENANCE["clouds"].items():
        assert len(entry["commit"]) == 40 and entry["upstream_path"].endswith(f"/{cloud}/vms.csv")
        with (SKYPILOT_DIR / cloud / "vms.csv").open(newline="") as f:
            rows = [r for r in csv.DictReader(f) if r["AcceleratorName"].strip()]
        assert entry["rows"] == len(rows), cloud
    size = (Path(__file__).resolve().parents[2] / "market" / "snapshot" /
            "skypilot-catalog.tar.xz").stat().st_size
    assert 20_000 < size < 150_000


def test_offline_first_run_loads_the_snapshot_then_the_network_replaces_it(
        tmp_path: Path) -> None:
    results = {r.provider: r for r in _sync(UNREACHABLE)}
    assert {results[c].status for c in CLOUDS} == {"snapshot"}
    offers = list(Offer.objects.filter(provider__in=CLOUDS))
    expected = sum(1 for key in expected_offers(SKYPILOT_DIR) if key[0] in CLOUDS)
    assert len(offers) == expected
    assert all(o.source == f"{SNAPSHOT_LABEL}: {o.provider_id}/vms.csv" for o in offers)
    assert set(Provider.objects.filter(name__in=CLOUDS).values_list("status", flat=True)) == {
        "snapshot"}

    page = _offers_page()
    assert page["total"] == expected
    assert page["warnings"][0].startswith(f"prices from the bundled snapshot of {SNAPSHOT_DATE}")
    health = Client().get("/health")
    assert health.status_code == 200 and health.json()["status"] == "degraded"
    assert any("bundled snapshot" in r for r in health.json()["reasons"])

    (tmp_path / "v7").symlink_to(SKYPILOT_DIR, target_is_directory=True)
    with serve_folder(tmp_path) as url:
        online = {r.provider: r for r in _sync(url)}
    assert {online[c].status for c in CLOUDS} == {"ok"}
    assert not Offer.objects.filter(source__startswith=SNAPSHOT_LABEL).exists()
    assert Offer.objects.filter(provider__in=CLOUDS).count() == expected
    assert all(o.source == f"{url}v7/{o.provider_id}/vms.csv" for o in Offer.objects.all())
    page = _offers_page()
    assert not any("snapshot" in w for w in page["warnings"])
    health = Client().get("/health").json()
    assert (health["status"], health["reasons"]) == ("ok", []) and health["last_sync_at"]


def test_with_offers_stored_a_failed_catalog_keeps_them_and_loads_no_snapshot(
        tmp_path: Path) -> None:
    (tmp_path / "v7").symlink_to(SKYPILOT_DIR, target_is_directory=True)
    with serve_folder(tmp_path) as url:
        _sync(url)
    before = Offer.objects.count()
    results = _sync(UNREACHABLE)
    assert {r.status for r in results if r.provider in CLOUDS} == {"failed"}
    assert Offer.objects.count() == before
    assert not Offer.objects.filter(source__startswith=SNAPSHOT_LABEL).exists()
    health = Client().get("/health").json()
    assert health["status"] == "degraded"
    assert health["reasons"] == ["every provider's last sync failed: offers are the last good "
                                 "ones, marked stale"]


def test_an_empty_store_is_degraded() -> None:
    body = Client().get("/health").json()
    assert body["status"] == "degraded" and "empty" in body["reasons"][0]
