"""Kept KPI parts (`kpi.cache`): a kept answer is the computed one byte for byte, and a sync
(ok or failed), a provider row or the clock changes it at once.

The clock is held still in every test (`held_clock`), since a provider's answer says how
many seconds ago it last synced; each comparison is between two answers at the same instant.
A sync here goes through `provider_sync`, which notifies no listener in this process: what
moves the answers is the store version alone, as for a sync in another worker.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kpi.cache import offers_parts_clear
from market.adapters.catalog import CatalogAdapter
from market.models import Provider
from market.services.sync import provider_sync
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.django_db
URL = "/api/v2/kpi/"
PATHS = ["overview", "gpu/H100", "gpu/h100", "gpu/A100", "provider/aws", "provider/vast",
         "insights/market"]
VAST_LATER = SHARED_DATA / "catalogs" / "history" / "vast" / "b908219ac2bf.csv"


@pytest.fixture
def held_clock(monkeypatch) -> list:
    """The clock stands at the instant in ``clock[0]`` until a test moves it."""
    clock = [timezone.now()]
    monkeypatch.setattr(timezone, "now", lambda: clock[0])
    return clock


def _body(path: str) -> bytes:
    response = Client().get(URL + path)
    assert response.status_code == 200, response.content
    return response.content


def _computed(path: str) -> bytes:
    """The answer computed from the store now, nothing kept."""
    offers_parts_clear()
    body = _body(path)
    offers_parts_clear()
    return body


def _offer_reads(path: str) -> tuple[bytes, int]:
    """The answer and how many of its queries read the offers table."""
    with CaptureQueriesContext(connection) as queries:
        body = _body(path)
    return body, sum("market_offer" in q["sql"] for q in queries.captured_queries)


def _sync_vast(source: str) -> str:
    with httpx.Client(timeout=2) as client:
        return provider_sync(adapter=CatalogAdapter("vast", source), client=client).status


@pytest.mark.parametrize("path", PATHS)
def test_a_kept_answer_is_the_computed_one_byte_for_byte(synced_snapshot, held_clock,
                                                        path) -> None:
    computed = _computed(path)
    cold, cold_reads = _offer_reads(path)
    warm, warm_reads = _offer_reads(path)
    assert cold == warm == computed
    assert cold_reads > 0 and warm_reads == 0  # the second answer read no offer


def test_a_sync_that_changes_offers_changes_every_answer_at_once(synced_snapshot,
                                                                 held_clock) -> None:
    paths = ["overview", "gpu/H200", "provider/vast", "insights/market"]
    before = {path: _body(path) for path in paths}
    assert _sync_vast(str(VAST_LATER)) == "ok"
    after = {path: _body(path) for path in paths}
    assert after == {path: _computed(path) for path in paths}
    assert all(after[path] != before[path] for path in paths), \
        [path for path in paths if after[path] == before[path]]


def test_a_provider_marked_failing_shows_at_once(synced_snapshot, held_clock) -> None:
    before = {path: _body(path) for path in ("overview", "provider/vast")}
    assert before["overview"] == _body("overview")  # kept
    assert _sync_vast("http://127.0.0.1:9/v7/vast/vms.csv") == "failed"  # refused: no server
    after = Client().get(URL + "overview").json()
    assert after["providers"]["failing"] == 1 and after["providers"]["names"]["failing"] == \
        ["vast"]
    assert _body("overview") == _computed("overview") != before["overview"]
    assert Client().get(URL + "provider/vast").json()["sync"]["status"] == "failed"


def test_provider_rows_written_without_a_sync_show_at_once(synced_snapshot, held_clock) -> None:
    before = Client().get(URL + "overview").json()
    Provider.objects.filter(name="aws").update(enabled=False)  # as registration disables one
    after = Client().get(URL + "overview").json()
    assert after["providers"]["ok"] == before["providers"]["ok"] - 1
    assert "aws" not in after["providers"]["names"]["ok"]
    assert _body("overview") == _computed("overview")


def test_providers_go_stale_with_the_clock_while_the_offers_are_kept(synced_snapshot,
                                                                    held_clock) -> None:
    fresh = Client().get(URL + "overview").json()
    assert fresh["providers"]["stale"] == 0 and fresh["providers"]["ok"] == 19
    successes = [p.last_success_at for p in Provider.objects.exclude(last_success_at=None)]
    stale_after = timedelta(seconds=max(settings.GPUBROKER_SYNC_INTERVAL_S, 3600) * 2)
    held_clock[0] = min(successes) + stale_after - timedelta(seconds=1)
    assert Client().get(URL + "overview").json()["providers"]["ok"] == 19
    held_clock[0] = max(successes) + stale_after + timedelta(seconds=1)
    body, reads = _offer_reads("overview")
    stale = Client().get(URL + "overview").json()
    assert reads == 0  # the offers part was kept; only the providers moved
    assert stale["providers"]["stale"] == 19 and stale["providers"]["ok"] == 0
    assert body == _computed("overview")
    assert {k: v for k, v in stale.items() if k != "providers"} == \
        {k: v for k, v in fresh.items() if k != "providers"}
