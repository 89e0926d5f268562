"""`/api/v2/providers`: offers (filtered, sorted, paged), one offer, provider status."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from market import selectors
from market.schemas import OfferFilterIn, OfferOut, OfferPageOut, ProvidersConfigOut

router = Router()
_CONTROL = {"sort", "page", "per_page"}


@router.get("/", response=OfferPageOut, summary="Search offers")
def offers_list(request: HttpRequest, filters: Query[OfferFilterIn]) -> dict:
    params = filters.dict(exclude=_CONTROL, exclude_none=True)
    page = selectors.offers_page(params=params, sort=filters.sort, page=filters.page,
                                 per_page=filters.per_page)
    return {**page.__dict__, "relaxations": [r.__dict__ for r in page.relaxations]}


@router.get("/config", response=ProvidersConfigOut, summary="Every provider and its status")
def providers_config(request: HttpRequest) -> dict:
    return {"providers": selectors.providers_status()}


@router.get("/{int:offer_id}", response=OfferOut, summary="One offer")
def offer_detail(request: HttpRequest, offer_id: int) -> dict:
    return selectors.offer_get(offer_id=offer_id)
