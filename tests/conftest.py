"""Shared fixtures: where the real shared data lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("GPUBROKER_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
SKYPILOT_DIR = SHARED_DATA / "catalogs" / "skypilot"
PROVIDER_SAMPLES = SHARED_DATA / "provider-samples"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared data not found at {SHARED_DATA} (set GPUBROKER_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """SQLite test databases are files in the data directory, not memory, so that a process
    a test starts (a Celery worker) opens the very database the test reads."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = f"test_{worker}_{os.getpid()}.sqlite3"
        db.setdefault("TEST", {})["NAME"] = str(Path(settings.DATA_DIR) / name)


@pytest.fixture(autouse=True)
def _fresh_offer_index():
    """Tests roll back their writes (sync-run ids come again); the in-memory offer index and
    the kept KPI parts must not outlive them."""
    from kpi.cache import offers_parts_clear
    from market.query.index import offer_index_invalidate

    offer_index_invalidate()
    offers_parts_clear()
    yield
    offer_index_invalidate()
    offers_parts_clear()


@pytest.fixture(scope="module")
def synced_snapshot(django_db_setup, django_db_blocker):
    """The whole shared SkyPilot snapshot synced (committed) for one test module, then removed
    so that other modules start from an empty store."""
    from django.test import override_settings

    from market.services.providers import offers_sync_all

    with django_db_blocker.unblock():
        _market_clear()
        with override_settings(GPUBROKER_CATALOG_DIR=str(SKYPILOT_DIR)):
            results = offers_sync_all()
    yield results
    with django_db_blocker.unblock():
        _market_clear()


def _market_clear() -> None:
    from market.models import Offer, PriceObservation, Provider, SyncRun

    for model in (Offer, PriceObservation, SyncRun, Provider):
        model.objects.all().delete()


from tests.support.celery_worker import celery_stack  # noqa: E402, F401  (a session fixture)
