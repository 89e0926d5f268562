"""`/api/v2/providers`: offers (filtered, sorted, paged), live offers, saved searches, one
offer and its price history, provider status; and `/api/v2/auth/saved-searches` (a user's
saved searches: create, list, get, change, delete), mounted by config.api."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Status
from ninja.params import P, PathEx

from accounts.auth import JWTAuth
from accounts.selectors import provider_key_of
from common.jsonout import json_bytes
from common.schemas import ErrorOut, errors
from market import selectors
from market.models import SavedSearch
from market.query.search import OfferPage
from market.schemas import (
    LiveOffersIn,
    LiveOffersOut,
    OfferFilterIn,
    OfferHistoryOut,
    OfferOut,
    OfferPageOut,
    PagingIn,
    ProvidersConfigOut,
    SavedSearchIn,
    SavedSearchOffersOut,
    SavedSearchOut,
    SavedSearchPatch,
)
from market.services import live, saved_searches

router = Router()
saved_searches_router = Router(auth=JWTAuth())
_CONTROL = {"sort", "page", "per_page"}


@router.get("/", response=OfferPageOut, summary="Search offers")
def offers_list(request: HttpRequest, filters: Query[OfferFilterIn]) -> HttpResponse:
    params = filters.dict(exclude=_CONTROL, exclude_none=True)
    page = selectors.offers_page(params=params, sort=filters.sort, page=filters.page,
                                 per_page=filters.per_page)
    return page_response(page)


def page_response(page: OfferPage) -> HttpResponse:
    """The page as ``OfferPageOut`` renders it, written straight from the index's rows: they
    hold exactly OfferOut's fields with its types (tests/market/test_page_response.py), so
    validating and dumping 50 offers through pydantic again (~30 % of the request
    in-process) would change nothing."""
    data = page.as_dict()
    data["relaxations"] = [{k: r[k] for k in _RELAXATION_FIELDS} for r in data["relaxations"]]
    return HttpResponse(json_bytes(data), content_type="application/json; charset=utf-8")


_RELAXATION_FIELDS = ("param", "constraint", "suggestion", "offers")


@router.get("/config", response=ProvidersConfigOut, summary="Every provider and its status")
def providers_config(request: HttpRequest) -> dict:
    return selectors.providers_config()


@router.get("/live", response={200: LiveOffersOut, **errors(404, 409, 502)},
            auth=JWTAuth(quota="live_queries_per_day"),
            summary="Ask one provider API now, with your saved key")
def offers_live(request: HttpRequest, filters: Query[LiveOffersIn]) -> dict:
    params = filters.dict(exclude=_CONTROL | {"provider"}, exclude_none=True)
    names = live.live_key_names(provider=filters.provider)
    user_key = provider_key_of(user=request.auth, names=names)
    found = live.offers_live(provider=filters.provider, user_key=user_key, params=params,
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


# --- /api/v2/auth/saved-searches: a user's own saved searches ------------------------------
AUTHED = {401: ErrorOut, 429: ErrorOut}
SearchId = PathEx[int, P(ge=1, le=2**63 - 1)]


@saved_searches_router.post("", auth=JWTAuth(quota="saved_searches"),
                            response={201: SavedSearchOut, 403: ErrorOut, 409: ErrorOut,
                                      **AUTHED})
def saved_search_create(request: HttpRequest, body: SavedSearchIn) -> Status[SavedSearch]:
    return Status(201, saved_searches.saved_search_create(
        user=request.auth, name=body.name, q=body.q, filters=body.filters))


@saved_searches_router.get("", response={200: list[SavedSearchOut], **AUTHED})
def saved_search_list(request: HttpRequest) -> list[SavedSearch]:
    return list(selectors.saved_searches_of(user=request.auth))


@saved_searches_router.get("/{search_id}", response={200: SavedSearchOut, 404: ErrorOut,
                                                     **AUTHED})
def saved_search_get(request: HttpRequest, search_id: SearchId) -> SavedSearch:
    return selectors.saved_search_of(user=request.auth, search_id=search_id)


@saved_searches_router.patch("/{search_id}", response={200: SavedSearchOut, 404: ErrorOut,
                                                       409: ErrorOut, **AUTHED})
def saved_search_update(request: HttpRequest, body: SavedSearchPatch,
                        search_id: SearchId) -> SavedSearch:
    changes: dict[str, Any] = body.dict(exclude_unset=True)
    return saved_searches.saved_search_update(user=request.auth, search_id=search_id,
                                              changes=changes)


@saved_searches_router.delete("/{search_id}", response={204: None, 404: ErrorOut, **AUTHED})
def saved_search_delete(request: HttpRequest, search_id: SearchId) -> Status[None]:
    saved_searches.saved_search_delete(user=request.auth, search_id=search_id)
    return Status(204, None)
