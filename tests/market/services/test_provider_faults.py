"""Every live provider, broken the ways the internet breaks it, through a real local server.

Per provider: a timeout, a 500, a 429 with Retry-After (once: the retry succeeds; always:
the sync fails), a truncated JSON body, an empty list, a renamed field. Each leaves this
provider's last good offers (marked stale, the reason in the sync record) and another
provider's offers intact. Then the circuit breaker opens and closes. Timeouts and backoff
are milliseconds here (settings), so the whole table runs in seconds.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from django.test import Client

from market.adapters.catalog import CatalogAdapter
from market.models import Offer, Provider, SyncRun
from market.services.sync import provider_sync
from tests.conftest import SKYPILOT_DIR
from tests.market.adapters.faults import CASES, FaultCase
from tests.support.payloads import InTurn, PayloadServer, Reply, serve_payloads

pytestmark = pytest.mark.django_db
OTHER = "mithril"  # another provider, synced from its real catalog
IDS = [case.name for case in CASES]


@pytest.fixture(autouse=True)
def _fast(settings) -> None:
    settings.GPUBROKER_HTTP_TIMEOUT_S = 0.2
    settings.GPUBROKER_HTTP_ATTEMPTS = 3
    settings.GPUBROKER_HTTP_BACKOFF_S = 0.005
    settings.GPUBROKER_HTTP_BACKOFF_MAX_S = 0.02
    settings.GPUBROKER_HTTP_RETRY_AFTER_MAX_S = 0.05
    settings.GPUBROKER_BREAKER_FAILURES = 3
    settings.GPUBROKER_BREAKER_RESET_S = 600


def _faults(case: FaultCase) -> dict[str, dict[str, Any]]:
    body = case.routes[case.route]
    return {
        "timeout": {case.route: Reply(body, delay_s=0.6)},
        "http_500": {case.route: Reply({"error": "internal"}, 500)},
        "http_429_always": {case.route: Reply({"error": "slow down"}, 429,
                                              headers=(("Retry-After", "1"),))},
        "truncated_json": {case.route: case.truncated()},
        "empty_list": case.empty,
        "renamed_field": case.renamed,
    }


def _offers(name: str) -> dict[tuple[str, str, bool], tuple[float, bool]]:
    return {(o.instance_type, o.region, o.spot): (o.price_per_hour, o.stale)
            for o in Offer.objects.filter(provider=name)}


def _sync(adapter: Any):
    with httpx.Client() as client:
        return provider_sync(adapter=adapter, client=client)


def _good_then(case: FaultCase, server: PayloadServer, routes: dict[str, Any]):
    """Sync ``case`` on its recorded answers, then on ``routes`` put over them."""
    first = _sync(case.make(server.url))
    assert first.status == "ok" and first.offers > 0, first.error
    server.routes.update({k: v if isinstance(v, Reply | InTurn) else Reply(v)
                          for k, v in routes.items()})
    for key in routes:
        server.answered.pop(key, None)  # an InTurn starts from its first reply
    return first, _sync(case.make(server.url))


@pytest.mark.parametrize("fault", ["timeout", "http_500", "http_429_always", "truncated_json",
                                   "empty_list", "renamed_field"])
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_fault_keeps_the_last_good_offers_and_the_other_providers(case: FaultCase,
                                                                     fault: str) -> None:
    other = _sync(CatalogAdapter(OTHER, str(SKYPILOT_DIR / OTHER / "vms.csv")))
    other_offers = _offers(OTHER)
    with serve_payloads(case.routes) as server:
        _, result = _good_then(case, server, {})
        good = _offers(case.name)
        _, result = _good_then(case, server, _faults(case)[fault])
    assert result.status in ("failed", "rejected"), (fault, result.status)
    kept = _offers(case.name)
    assert kept.keys() == good.keys()
    assert all(stale for _, stale in kept.values())
    assert {k: price for k, (price, _) in kept.items()} == {
        k: price for k, (price, _) in good.items()}
    run = SyncRun.objects.filter(provider=case.name).latest("id")
    assert run.status == result.status and run.error == result.error != ""
    assert Provider.objects.get(name=case.name).status == result.status
    assert _offers(OTHER) == other_offers and other.offers == len(other_offers) > 0


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_429_with_retry_after_is_waited_out_and_retried(case: FaultCase) -> None:
    body = case.routes[case.route]
    busy = Reply({"error": "slow down"}, 429, headers=(("Retry-After", "1"),))
    with serve_payloads(case.routes) as server:
        first, result = _good_then(case, server, {case.route: InTurn(busy, body)})
        asked = server.answered[case.route]
    assert result.status == "ok" and result.offers == first.offers
    assert asked == 2  # the 429, then its retry
    assert not any(stale for _, stale in _offers(case.name).values())


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_breaker_opens_after_repeated_failures_and_closes_after_a_probe(
        case: FaultCase, settings) -> None:
    settings.GPUBROKER_BREAKER_FAILURES = 2
    failing = {case.route: Reply({"error": "down"}, 503)}
    with serve_payloads(case.routes) as server:
        _good_then(case, server, failing)  # failure 1
        assert Provider.objects.get(name=case.name).breaker_state == "closed"
        assert _sync(case.make(server.url)).status == "failed"  # failure 2: opens
        provider = Provider.objects.get(name=case.name)
        assert (provider.breaker_state, provider.breaker_failures) == ("open", 2)
        shown = next(p for p in Client().get("/api/v2/providers/config").json()["providers"]
                     if p["name"] == case.name)["breaker"]
        assert (shown["state"], shown["failures"], shown["threshold"]) == ("open", 2, 2)
        assert shown["retry_at"] is not None
        asked = len(server.seen)
        skipped = _sync(case.make(server.url))
        assert skipped.status == "breaker_open" and len(server.seen) == asked  # not asked
        assert "circuit breaker open" in skipped.error
        _reset_time_passes(case.name, settings)
        assert _sync(case.make(server.url)).status == "failed"  # half-open probe fails
        assert Provider.objects.get(name=case.name).breaker_state == "open"
        _reset_time_passes(case.name, settings)
        server.routes[case.route] = Reply(case.routes[case.route])
        probe = _sync(case.make(server.url))
    provider = Provider.objects.get(name=case.name)
    assert probe.status == "ok" and probe.offers > 0
    assert (provider.breaker_state, provider.breaker_failures) == ("closed", 0)
    assert not any(stale for _, stale in _offers(case.name).values())


def _reset_time_passes(name: str, settings) -> None:
    """Move the breaker's opening back by its reset period (the wait is over)."""
    from datetime import timedelta

    provider = Provider.objects.get(name=name)
    assert provider.breaker_opened_at is not None
    Provider.objects.filter(name=name).update(
        breaker_opened_at=provider.breaker_opened_at
        - timedelta(seconds=settings.GPUBROKER_BREAKER_RESET_S + 1))
