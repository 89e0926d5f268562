"""`/api/v2/providers`: offers (filtered, sorted, paged), live offers, saved searches, one
offer and its price history, provider status."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from accounts.auth import JWTAuth
from market import selectors
from market.schemas import (
    LiveOffersIn,
    LiveOffersOut,
    OfferFilterIn,
    OfferHistoryOut,
    OfferOut,
    OfferPageOut,
    PagingIn,
    ProvidersConfigOut,
    SavedSearchOffersOut,
)
from market.services import live

router = Router()
_CONTROL = {"sort", "page", "per_page"}


@router.get("/", response=OfferPageOut, summary="Search offers")
def offers_list(request: HttpRequest, filters: Query[OfferFilterIn]) -> dict:
    params = filters.dict(exclude=_CONTROL, exclude_none=True)
    page = selectors.offers_page(params=params, sort=filters.sort, page=filters.page,
                                 per_page=filters.per_page)
    return page.as_dict()


@router.get("/config", response=ProvidersConfigOut, summary="Every provider and its status")
def providers_config(request: HttpRequest) -> dict:
    return {"providers": selectors.providers_status()}


@router.get("/live", response=LiveOffersOut, auth=JWTAuth(),
            summary="Ask one provider API now, with your saved key")
def offers_live(request: HttpRequest, filters: Query[LiveOffersIn]) -> dict:
    params = filters.dict(exclude=_CONTROL | {"provider"}, exclude_none=True)
    found = live.offers_live(user=request.auth, provider=filters.provider, params=params,
                             sort=filters.sort, page=filters.page, per_page=filters.per_page)
    listed = found.page
    return {"provider": found.provider, "key_source": found.key_source,
            "fetched_at": found.fetched_at, "skipped": found.skipped,
            "unknown_gpus": found.unknown_gpus, "notes": found.notes, **listed.as_dict()}


@router.get("/saved/{int:search_id}", response=SavedSearchOffersOut, auth=JWTAuth(),
            summary="Rerun one of your saved searches on the current offers")
def offers_saved(request: HttpRequest, search_id: int, paging: Query[PagingIn]) -> dict:
    search, page = selectors.offers_saved_search(
        user=request.auth, search_id=search_id, sort=paging.sort, page=paging.page,
        per_page=paging.per_page)
    ref = {"id": search.pk, "name": search.name, "q": search.q, "filters": search.filters}
    return {**page.as_dict(), "search": ref}


@router.get("/{int:offer_id}", response=OfferOut, summary="One offer")
def offer_detail(request: HttpRequest, offer_id: int) -> dict:
    return selectors.offer_get(offer_id=offer_id)


@router.get("/{int:offer_id}/history", response=OfferHistoryOut,
            summary="Every price observed for one offer, oldest first")
def offer_history(request: HttpRequest, offer_id: int) -> dict:
    return selectors.offer_history(offer_id=offer_id)
