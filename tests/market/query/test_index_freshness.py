"""The offer index's freshness check (market.query.index): one check of the store at a time per
process. A request that finds the index due while another request of the process is checking
answers from the index as of the last check and asks the database nothing; the next request
after the check sees a store that moved."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import market.query.index as index_module
from market.models import Provider, SyncRun
from market.query.index import offer_index, offer_index_fresh


def _sync_recorded() -> int:
    provider, _ = Provider.objects.get_or_create(name="vast", defaults={"kind": "api"})
    return SyncRun.objects.create(provider=provider, started_at=timezone.now()).pk


@pytest.mark.django_db
def test_a_request_during_a_check_answers_from_the_last_index_without_the_database(
        monkeypatch: pytest.MonkeyPatch) -> None:
    built = offer_index()
    monkeypatch.setattr(index_module, "RECHECK_S", 0.0)  # every request finds the index due
    version = _sync_recorded()
    with index_module._holder.checking, CaptureQueriesContext(connection) as during:
        answered = offer_index()  # another request holds the check
    assert answered is built and len(during) == 0
    with CaptureQueriesContext(connection) as after:
        assert offer_index().version == version  # the next request checks and rebuilds
    assert len(after) >= 1


@pytest.mark.django_db
def test_a_fresh_index_is_checked_against_the_store_now(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "RECHECK_S", 3600.0)
    offer_index()
    version = _sync_recorded()  # within RECHECK_S: offer_index() does not look yet
    assert offer_index().version != version
    assert offer_index_fresh().version == version
