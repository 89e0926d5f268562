"""One user's live query of one provider API, with that user's own key; nothing is stored.

The caller passes the user's key (the one saved in the vault under one of the names
``live_key_names`` gives: ``lambda-api``, ``lambda`` …); without one the server's key from
the environment asks. Offers are normalized like
a sync's and filtered with the same query language, on a throwaway index.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from django.conf import settings
from django.utils import timezone

from common.errors import Conflict, NotFound, UpstreamError
from market.adapters.base import ApiAdapter, FetchResult, ProviderUnavailable
from market.adapters.registry import PROVIDERS
from market.fields import offer_row
from market.normalize.offers import offers_normalized
from market.query.filters import filter_compile
from market.query.index import index_build
from market.query.search import EMPTY_STORE, OfferPage, offers_search, sort_key
from market.services.providers import DISABLED_BY_LIST, providers_disabled

log = logging.getLogger(__name__)


@dataclass
class LiveOffers:
    provider: str
    key_source: str  # "user" | "server" | "none" (a keyless API)
    fetched_at: datetime
    page: OfferPage
    skipped: dict[str, int] = field(default_factory=dict)
    unknown_gpus: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def offers_live(*, provider: str, user_key: str | None, params: dict[str, Any], sort: str,
                page: int, per_page: int) -> LiveOffers:
    """Fetch ``provider`` now with ``user_key`` (else the server's) and return one page.

    Raises NotFound (not a live provider), Conflict ``no_key``/``disabled``, or
    UpstreamError when the provider fails.
    """
    offer_filter = filter_compile(params)
    sort_key(sort)  # a bad filter or sort is answered before the provider is asked
    adapter, key_source = live_adapter(provider=provider, user_key=user_key)
    fetched, now = _fetch(adapter), timezone.now()
    batch = offers_normalized(provider=adapter.name, raw_offers=fetched.offers)
    label = f"live, {key_source} key" if key_source != "none" else "live, keyless"
    rows = [offer_row({**offer.stored_values(), "provider": offer.provider, "id": i,
                       "fetched_at": now, "stale": False, "source": f"{offer.source} ({label})"})
            for i, offer in enumerate(batch.offers.values(), start=1)]
    found = offers_search(offer_filter=offer_filter, sort=sort, page=page,
                          per_page=per_page, index=index_build(rows))
    found.items = [{**item, "id": None} for item in found.items]  # not stored: no id
    if not rows:  # the stored-offers hint does not fit a live answer
        found.warnings = [w for w in found.warnings if w != EMPTY_STORE]
        found.warnings.append(f"{adapter.name} lists no priced GPU offers right now")
    return LiveOffers(adapter.name, key_source, now, found, dict(fetched.skipped),
                      dict(batch.unknown_gpus), list(fetched.notes))


def live_key_names(*, provider: str) -> tuple[str, ...]:
    """The names a user's key for ``provider`` may be saved under; NotFound (not a live
    provider API) or Conflict ``disabled`` before any key is looked up."""
    return _adapter_class(provider)().key_names()


def live_adapter(*, provider: str, user_key: str | None) -> tuple[ApiAdapter, str]:
    """The adapter of ``provider`` holding ``user_key`` (or the server's), and whose key."""
    cls = _adapter_class(provider)
    name = cls.NAME
    adapter = cls(api_key=user_key) if user_key else cls()
    if (missing := adapter.key_missing()) is not None:
        raise Conflict(f"no API key for {name}: save yours with POST /api/v2/auth/provider-keys "
                       f"(provider '{name}'); the server has none ({missing})", code="no_key")
    key_source = "user" if user_key else ("server" if adapter.api_key else "none")
    return adapter, key_source


def _adapter_class(provider: str) -> type[ApiAdapter]:
    name = provider.strip().lower()
    cls = PROVIDERS.get(name)
    if cls is None:
        raise NotFound(f"'{provider}' is not a live provider API (live: "
                       f"{', '.join(sorted(PROVIDERS))})")
    if name in providers_disabled():
        raise Conflict(f"{name} is {DISABLED_BY_LIST}", code="disabled")
    return cls


def _fetch(adapter: ApiAdapter) -> FetchResult:
    timeout = httpx.Timeout(min(adapter.TIMEOUT_S, settings.GPUBROKER_HTTP_TIMEOUT_S))
    try:
        with httpx.Client(timeout=timeout, headers={"User-Agent": "gpubroker"}) as client:
            return adapter.fetch(client)
    except ProviderUnavailable as exc:
        raise Conflict(f"{adapter.name}: {exc}", code=exc.status) from None
    except Exception as exc:  # whatever the provider did, the caller gets one 502
        log.warning("live %s failed: %s: %s", adapter.name, type(exc).__name__, exc)
        raise UpstreamError(f"{adapter.name} failed: {type(exc).__name__}: {exc}") from None
