"""Which providers exist and whether each is enabled; the sync entry point for all of them."""

from __future__ import annotations

import os
from collections.abc import Callable

import httpx
from django.conf import settings

from common.errors import NotFound
from market.adapters.base import Adapter
from market.adapters.registry import adapters_configured
from market.models import Provider
from market.services.sync import SyncResult, providers_sync


def providers_disabled() -> set[str]:
    raw = os.environ.get("GPUBROKER_DISABLED_PROVIDERS", "")
    return {name.strip() for name in raw.split(",") if name.strip()}


def providers_register(adapters: list[Adapter]) -> None:
    """Make every configured provider known, so its status shows before its first sync."""
    disabled = providers_disabled()
    for adapter in adapters:
        provider, _ = Provider.objects.get_or_create(
            name=adapter.name, defaults={"kind": adapter.kind, "source": adapter.source}
        )
        enabled = adapter.name not in disabled
        if provider.enabled != enabled or (not enabled and provider.status != "disabled"):
            provider.enabled = enabled
            provider.status = "disabled" if not enabled else "never"
            provider.save(update_fields=["enabled", "status"])


def offers_sync_all(*, only: list[str] | None = None,
                    on_result: Callable[[SyncResult], None] | None = None) -> list[SyncResult]:
    """Sync every enabled provider (or those named in ``only``), one transaction each."""
    adapters = adapters_configured()
    providers_register(adapters)
    known = {a.name for a in adapters}
    missing = sorted(set(only or []) - known)
    if missing:
        raise NotFound(f"unknown provider {', '.join(missing)} (known: {', '.join(sorted(known))})")
    disabled = providers_disabled()
    chosen = [a for a in adapters if (not only or a.name in only) and a.name not in disabled]
    timeout = httpx.Timeout(settings.GPUBROKER_HTTP_TIMEOUT_S)
    with httpx.Client(timeout=timeout, follow_redirects=True,
                      headers={"User-Agent": "gpubroker"}) as client:
        return providers_sync(adapters=chosen, client=client, on_result=on_result)
