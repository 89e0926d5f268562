"""Which providers exist and whether each is enabled; the sync entry point for all of them.

Catalog clouds are on unless named in ``GPUBROKER_DISABLED_PROVIDERS``. Live provider APIs
are off unless opted in by ``GPUBROKER_LIVE_PROVIDERS`` (comma list, or ``all``); an
opted-in API without its credential is listed as ``no_key``. The disabled list wins.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

import httpx
from django.conf import settings

from common.errors import NotFound
from market.adapters.base import Adapter, ApiAdapter
from market.adapters.registry import PROVIDERS, adapters_configured
from market.models import Offer, Provider
from market.services.sync import SyncResult, providers_sync
from market.snapshot import SNAPSHOT_LABEL, SNAPSHOT_STATUS, SnapshotAdapter, snapshot_clouds

log = logging.getLogger(__name__)
DISABLED_BY_LIST = "disabled by GPUBROKER_DISABLED_PROVIDERS"


def providers_disabled() -> set[str]:
    return _names("GPUBROKER_DISABLED_PROVIDERS")


def providers_live() -> set[str]:
    """Live API providers opted in by ``GPUBROKER_LIVE_PROVIDERS`` (``all``: every one)."""
    wanted = _names("GPUBROKER_LIVE_PROVIDERS")
    if "all" in wanted:
        return set(PROVIDERS)
    for name in sorted(wanted - set(PROVIDERS)):
        log.warning("GPUBROKER_LIVE_PROVIDERS names %r, not a live provider (%s)", name,
                    ", ".join(sorted(PROVIDERS)))
    return wanted & set(PROVIDERS)


def _names(variable: str) -> set[str]:
    return {name.strip() for name in os.environ.get(variable, "").split(",") if name.strip()}


def provider_readiness(adapter: Adapter, *, disabled: set[str], live: set[str]) -> tuple[str, str]:
    """``("ready", "")``, or ``("disabled" | "no_key", why)`` for a provider not to be asked."""
    if adapter.name in disabled:
        return "disabled", DISABLED_BY_LIST
    if isinstance(adapter, ApiAdapter):
        if adapter.name not in live:
            return "disabled", (f"live provider API, off by default: add {adapter.name} to "
                                "GPUBROKER_LIVE_PROVIDERS (or set it to all) to sync it")
        if (missing := adapter.key_missing()) is not None:
            return "no_key", missing
    return "ready", ""


def providers_register(adapters: list[Adapter]) -> None:
    """Make every configured provider known, so its status shows before its first sync."""
    disabled, live = providers_disabled(), providers_live()
    for adapter in adapters:
        readiness, why = provider_readiness(adapter, disabled=disabled, live=live)
        provider, _ = Provider.objects.get_or_create(
            name=adapter.name, defaults={"kind": adapter.kind, "source": adapter.source}
        )
        _readiness_apply(provider, readiness, why)


def _readiness_apply(provider: Provider, readiness: str, why: str) -> None:
    if readiness == "ready":
        if provider.enabled and provider.status not in ("disabled", "no_key"):
            return
        provider.enabled, provider.status, provider.error = True, "never", ""
    else:
        enabled = readiness != "disabled"
        if (provider.enabled, provider.status, provider.error) == (enabled, readiness, why):
            return
        provider.enabled, provider.status, provider.error = enabled, readiness, why
    provider.save(update_fields=["enabled", "status", "error"])


def providers_to_sync() -> list[str]:
    """The providers a scheduled sync asks: registered, and neither disabled nor keyless."""
    adapters = adapters_configured()
    providers_register(adapters)
    disabled, live = providers_disabled(), providers_live()
    return [a.name for a in adapters
            if provider_readiness(a, disabled=disabled, live=live)[0] == "ready"]


def offers_sync_all(*, only: list[str] | None = None,
                    on_result: Callable[[SyncResult], None] | None = None,
                    snapshot: bool = True) -> list[SyncResult]:
    """Sync every enabled provider (or those named in ``only``), one transaction each.

    A provider named in ``only`` but not enabled gets a ``disabled`` result saying why.
    """
    adapters = adapters_configured()
    providers_register(adapters)
    known = {a.name for a in adapters}
    missing = sorted(set(only or []) - known)
    if missing:
        raise NotFound(f"unknown provider {', '.join(missing)} (known: {', '.join(sorted(known))})")
    disabled, live = providers_disabled(), providers_live()
    named = [a for a in adapters if not only or a.name in only]
    readiness = {a.name: provider_readiness(a, disabled=disabled, live=live) for a in named}
    chosen = [a for a in named if readiness[a.name][0] != "disabled"]
    timeout = httpx.Timeout(settings.GPUBROKER_HTTP_TIMEOUT_S)
    with httpx.Client(timeout=timeout, follow_redirects=True,
                      headers={"User-Agent": "gpubroker"}) as client:
        results = providers_sync(adapters=chosen, client=client, on_result=on_result)
        if snapshot:  # a first run offline: the bundled snapshot (callers that retry: False)
            results = snapshot_fallback(results, adapters=chosen, client=client,
                                        on_result=on_result)
    if only:
        results += [SyncResult(name, "disabled", error=why) for name, (state, why)
                    in readiness.items() if state == "disabled"]
    return results


def snapshot_fallback(results: list[SyncResult], *, adapters: list[Adapter],
                      client: httpx.Client,
                      on_result: Callable[[SyncResult], None] | None = None) -> list[SyncResult]:
    """With an empty store, catalog clouds that could not be read load the bundled snapshot
    instead (their status becomes ``snapshot``); otherwise ``results`` as they are."""
    failed = {r.provider: r for r in results if r.status == "failed"}
    clouds = [a.name for a in adapters if a.kind == "catalog" and a.name in failed
              and a.name in snapshot_clouds()]
    if not clouds or Offer.objects.exists():
        return results
    log.warning("catalog unreachable and no offers stored: loading the %s for %s",
                SNAPSHOT_LABEL, ", ".join(clouds))
    loaded = providers_sync(adapters=[SnapshotAdapter(name) for name in clouds], client=client,
                            on_result=on_result)
    for result in loaded:
        if result.status == "ok":
            _snapshot_mark(result, failed[result.provider].error)
    replaced = {r.provider for r in loaded}
    return [r for r in results if r.provider not in replaced] + loaded


def _snapshot_mark(result: SyncResult, network_error: str) -> None:
    result.status = SNAPSHOT_STATUS
    result.error = f"catalog unreachable ({network_error}): {SNAPSHOT_LABEL} loaded"
    Provider.objects.filter(name=result.provider).update(
        status=SNAPSHOT_STATUS, error=result.error, last_success_at=None)
