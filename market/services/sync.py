"""Sync: fetch each provider, diff against the store, write in one transaction per provider.

Idempotent: an unchanged source adds, changes and removes nothing (only freshness moves).
Every new or changed price appends a PriceObservation. A provider that fails keeps its last
good offers, marked stale, and never stops the others. After all commits, listeners are
notified (write, then notify); each result carries its price deltas for them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from django.db import transaction
from django.utils import timezone

from market import metrics
from market.adapters.base import Adapter, FetchResult, PayloadRejected, ProviderUnavailable
from market.events import sync_finished
from market.fields import SOURCE_FIELDS
from market.models import Offer, PriceObservation, Provider, SyncRun
from market.normalize.offers import offers_normalized
from market.offer import NormalizedOffer, OfferKey
from market.services.breaker import breaker_allows, breaker_open_reason, breaker_record
from market.services.deltas import OfferDelta, offer_deltas

log = logging.getLogger(__name__)


@dataclass
class SyncResult:
    provider: str
    status: str  # ok | failed | rejected | breaker_open | no_key | disabled
    seen: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    offers: int = 0
    unknown_gpus: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    error: str = ""
    duration_s: float = 0.0
    deltas: list[OfferDelta] = field(default_factory=list)  # added, repriced, removed offers

    def summary(self) -> dict[str, Any]:
        """The counts and status, without the deltas (one per offer on a first sync)."""
        return {k: v for k, v in self.__dict__.items() if k != "deltas"}


def providers_sync(*, adapters: Iterable[Adapter], client: httpx.Client,
                   on_result: Callable[[SyncResult], None] | None = None) -> list[SyncResult]:
    results = []
    for adapter in adapters:
        result = provider_sync(adapter=adapter, client=client)
        results.append(result)
        if on_result:
            on_result(result)
    sync_finished(results)
    return results


def provider_sync(*, adapter: Adapter, client: httpx.Client) -> SyncResult:
    started = timezone.now()
    clock = time.perf_counter()
    provider = _provider_row(adapter)
    if breaker_allows(provider, started):
        fetched = _fetch(adapter, provider, client)
    else:
        fetched = SyncResult(adapter.name, "breaker_open", error=breaker_open_reason(provider))
    # One transaction for the offers, the provider's state and the run: the run's id is the
    # store version (`offers_version`) that the offer index and the KPI answers key on, so
    # no reader sees changed offers under the version of the ones before.
    with transaction.atomic():
        result = _store(provider, fetched, started) if isinstance(fetched, FetchResult) \
            else fetched
        result.duration_s = time.perf_counter() - clock
        if result.status != "ok":
            _keep_last_good(provider, result, started)
        breaker_record(provider, result.status, started)
        _record_run(provider, result, started)
    metrics.sync_observed(result)
    return result


def _fetch(adapter: Adapter, provider: Provider,
           client: httpx.Client) -> FetchResult | SyncResult:
    """The provider's answer, or the failed result that says why there is none to store."""
    try:
        fetched = adapter.fetch(client)
    except ProviderUnavailable as exc:
        return SyncResult(adapter.name, exc.status, error=str(exc))
    except PayloadRejected as exc:
        log.warning("sync %s rejected the answer: %s", adapter.name, exc)
        return SyncResult(adapter.name, "rejected", error=str(exc))
    except Exception as exc:  # any failure of one provider must not stop the others
        log.warning("sync %s failed: %s", adapter.name, exc)
        return SyncResult(adapter.name, "failed", error=f"{type(exc).__name__}: {exc}")
    if not fetched.offers and Offer.objects.filter(provider=provider).exists():
        skipped = ", ".join(f"{n} {why}" for why, n in sorted(fetched.skipped.items()))
        return SyncResult(adapter.name, "rejected", skipped=dict(fetched.skipped),
                          error=("the answer lists no offers" + (f" ({skipped})" if skipped
                                                                  else "") +
                                 "; an empty answer never replaces the last good offers"))
    return fetched


def _provider_row(adapter: Adapter) -> Provider:
    provider, _ = Provider.objects.update_or_create(
        name=adapter.name, defaults={"kind": adapter.kind, "source": adapter.source}
    )
    return provider


def _store(provider: Provider, fetched: FetchResult, now: datetime) -> SyncResult:
    batch = offers_normalized(provider=provider.name, raw_offers=fetched.offers)
    result = SyncResult(provider.name, "ok", seen=len(fetched.offers),
                        unknown_gpus=dict(batch.unknown_gpus), skipped=dict(fetched.skipped))
    with transaction.atomic():
        _apply_diff(provider, batch.offers, now, result)
        Offer.objects.filter(provider=provider).update(fetched_at=now, stale=False)
        Provider.objects.filter(pk=provider.pk).update(
            status="ok", error="", notes=fetched.notes, last_sync_at=now, last_success_at=now
        )
    result.offers = len(batch.offers)
    return result


def _apply_diff(provider: Provider, new: dict[OfferKey, NormalizedOffer], now: datetime,
                result: SyncResult) -> None:
    old = {(o.instance_type, o.region, o.spot): o for o in Offer.objects.filter(provider=provider)}
    old_prices = {o.pk: o.price_per_hour for o in old.values()}
    added = [Offer(provider=provider, fetched_at=now, **v.stored_values()) for k, v in new.items()
             if k not in old]
    diffs = {k: _update(o, new[k].stored_values()) for k, o in old.items() if k in new}
    changed = [old[k] for k, fields in diffs.items() if fields]
    repriced = [old[k] for k, fields in diffs.items() if "price_per_hour" in fields]
    gone = [o for k, o in old.items() if k not in new]
    Offer.objects.bulk_create(added, batch_size=500)
    Offer.objects.bulk_update(changed, [f for f in SOURCE_FIELDS if f != "provider"],
                              batch_size=500)
    Offer.objects.filter(pk__in=[o.pk for o in gone]).delete()
    PriceObservation.objects.bulk_create([_observation(o, now) for o in added + repriced],
                                         batch_size=500)
    result.added, result.changed, result.removed = len(added), len(changed), len(gone)
    result.deltas = offer_deltas(added=added, repriced=repriced, removed=gone,
                                 old_prices=old_prices)


def _update(offer: Offer, values: dict[str, Any]) -> set[str]:
    """Copy changed values onto ``offer``; the names of the fields that changed."""
    diff = {k: v for k, v in values.items() if getattr(offer, k) != v}
    for key, value in diff.items():
        setattr(offer, key, value)
    return set(diff)


def _observation(offer: Offer, now: datetime) -> PriceObservation:
    return PriceObservation(
        provider=offer.provider_id, instance_type=offer.instance_type, region=offer.region,
        spot=offer.spot, gpu_name=offer.gpu_name, gpu_count=offer.gpu_count,
        price_per_hour=offer.price_per_hour, price_per_gpu_hour=offer.price_per_gpu_hour,
        observed_at=now, source=offer.source,
    )


def _keep_last_good(provider: Provider, result: SyncResult, now: datetime) -> None:
    """A failed provider keeps its offers, marked stale; its status says why."""
    with transaction.atomic():
        Offer.objects.filter(provider=provider).update(stale=True)
        Provider.objects.filter(pk=provider.pk).update(
            status=result.status, error=result.error, last_sync_at=now
        )
    result.offers = Offer.objects.filter(provider=provider).count()


def _record_run(provider: Provider, result: SyncResult, started: datetime) -> None:
    SyncRun.objects.create(
        provider=provider, started_at=started, finished_at=timezone.now(),
        status=result.status, seen=result.seen, added=result.added, changed=result.changed,
        removed=result.removed, unknown_gpus=result.unknown_gpus, skipped=result.skipped,
        error=result.error,
    )
