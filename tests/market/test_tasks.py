"""Celery mode: the per-provider sync tasks in a real worker process, on the running Redis.

The worker (``gpubroker worker``, threads pool) opens the test database and syncs ``vast``
from a local catalog server holding a real catalog version. Results come back through
Redis; the database tells what the sync wrote.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from django.test import override_settings

from gpubroker import workers
from market.models import Offer, SyncRun
from market.services.sync_lock import provider_sync_lock
from market.tasks import retry_backoff_s
from tests.conftest import _market_clear
from tests.support.catalogs import VAST_LATEST, vast_catalog
from tests.support.celery_worker import CeleryStack, celery_worker, redis_url_for_tests

pytestmark = pytest.mark.django_db(transaction=True)
RESULT_S = 60


@pytest.fixture
def stack(celery_stack: CeleryStack) -> CeleryStack:
    vast_catalog(celery_stack.catalogs.v7, h100_high=False)
    celery_stack.catalogs.fail_next, celery_stack.catalogs.hits = 0, []
    yield celery_stack
    _market_clear()


def _catalog_rows() -> int:
    return sum(1 for _ in VAST_LATEST.open()) - 1


@pytest.mark.parametrize(("retries", "expected"), [(0, 30), (1, 60), (2, 120), (4, 480),
                                                   (5, 600), (9, 600)])
def test_backoff_doubles_from_the_base_and_is_capped(retries: int, expected: float) -> None:
    with override_settings(GPUBROKER_SYNC_RETRY_BACKOFF_S=30,
                           GPUBROKER_SYNC_RETRY_BACKOFF_MAX_S=600):
        assert retry_backoff_s(retries) == expected


def test_a_held_lock_is_refused_to_a_second_holder() -> None:
    url = redis_url_for_tests()
    if url is None:
        pytest.skip("no Redis answers at GPUBROKER_TEST_REDIS_URL")
    with override_settings(REDIS_URL=url):
        with provider_sync_lock("vast") as first, provider_sync_lock("vast") as second, \
                provider_sync_lock("aws") as other:
            assert (first, second, other) == (True, False, True)
        with provider_sync_lock("vast") as again:
            assert again  # released when the holder's block ended


def test_the_worker_syncs_one_provider(stack: CeleryStack) -> None:
    summary = stack.send("gpubroker.sync_provider", "vast").get(timeout=RESULT_S)
    assert summary["provider"] == "vast" and summary["status"] == "ok"
    assert summary["seen"] == _catalog_rows() and summary["added"] == summary["offers"] > 0
    assert Offer.objects.filter(provider="vast").count() == summary["offers"]
    assert list(SyncRun.objects.values_list("provider", "status")) == [("vast", "ok")]


def test_a_provider_locked_elsewhere_is_skipped_not_synced_twice(stack: CeleryStack) -> None:
    with stack.settings(), provider_sync_lock("vast") as held:
        assert held
        summary = stack.send("gpubroker.sync_provider", "vast").get(timeout=RESULT_S)
    assert summary == {"provider": "vast", "status": "locked"}
    assert stack.catalogs.hits == [] and not SyncRun.objects.exists()


def test_a_failing_provider_is_retried_with_backoff(stack: CeleryStack) -> None:
    stack.catalogs.fail_next = 2  # two 503s, then the catalog
    summary = stack.send("gpubroker.sync_provider", "vast").get(timeout=RESULT_S)
    assert summary["status"] == "ok" and summary["offers"] > 0
    hits = stack.catalogs.hits
    assert len(hits) == 3
    assert hits[1] - hits[0] >= 0.5 and hits[2] - hits[1] >= 1.0  # 0.5 s, then doubled
    runs = list(SyncRun.objects.order_by("pk").values_list("status", flat=True))
    assert runs == ["failed", "failed", "ok"]


def test_sync_all_queues_every_enabled_provider(stack: CeleryStack) -> None:
    assert stack.send("gpubroker.sync_all").get(timeout=RESULT_S) == ["vast"]
    deadline = time.monotonic() + RESULT_S
    while not SyncRun.objects.filter(provider="vast", status="ok").exists():
        assert time.monotonic() < deadline, "the fanned-out sync never ran"
        time.sleep(0.2)


def test_the_worker_exports_its_sync_metrics(stack: CeleryStack) -> None:
    stack.send("gpubroker.sync_provider", "vast").get(timeout=RESULT_S)
    metrics = httpx.get(stack.metrics_url, timeout=5).text
    line = next(m for m in metrics.splitlines()
                if m.startswith('gpubroker_offers{provider="vast"}'))
    assert float(line.split()[-1]) == Offer.objects.filter(provider="vast").count()
    assert 'gpubroker_sync_duration_seconds_count{provider="vast"}' in metrics
    # each task run is a job, as the embedded scheduler's runs are (common.jobs)
    assert 'gpubroker_job_runs_total{job="sync_provider",outcome="ok"}' in metrics
    assert 'gpubroker_job_duration_seconds_count{job="sync_provider"}' in metrics


def test_beat_schedules_the_syncs_the_worker_runs(stack: CeleryStack, tmp_path: Path) -> None:
    env = {"GPUBROKER_CELERY_QUEUE": stack.env["GPUBROKER_CELERY_QUEUE"],
           "GPUBROKER_SYNC_INTERVAL_S": "1", "GPUBROKER_DATA_DIR": str(tmp_path)}
    with celery_worker(redis_url=stack.redis_url, channels_prefix=stack.channels_prefix,
                       log=tmp_path / "beat.log", env=env, command="beat"):
        deadline = time.monotonic() + RESULT_S
        while not SyncRun.objects.filter(provider="vast", status="ok").exists():
            assert time.monotonic() < deadline, (tmp_path / "beat.log").read_text()
            time.sleep(0.2)


def test_worker_and_beat_refuse_to_start_without_redis(capsys: pytest.CaptureFixture) -> None:
    with override_settings(CELERY_BROKER_URL="", REDIS_URL=""):
        assert workers.worker([]) == 2 and workers.beat([]) == 2
    assert "REDIS_URL" in capsys.readouterr().err
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0", REDIS_URL=""):
        assert workers.celery_config_error() == workers.NO_LAYER
