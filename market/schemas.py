"""Request and response shapes of ``/api/v2/providers``.

Responses are plain pydantic models built from dicts: Ninja's ``Schema`` reads attributes
through a Django-aware getter that costs ~10 ms for a page of 50 offers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BaseModel, StringConstraints, create_model

from common.schemas import StrictIn
from market.fields import FILTER_PARAMS, OFFER_FIELDS, FilterParam

Q_HELP = ("filter language: gpu_memory_gb>=40 gpu_count>=2 price_per_hour<3 "
          "provider in [aws,gcp] spot=false")


def _param_field(param: FilterParam) -> tuple[Any, Any]:
    """A filter parameter's type: texts repeat (or comma-separate), numbers are ≥ 0."""
    if param.kind == "text":
        return list[str] | None, Field(None, description=param.description)
    if param.kind == "flag":
        return bool | None, Field(None, description=param.description)
    return float | None, Field(None, ge=0, description=param.description)


# Both built from the one table (market.fields): a field or parameter added there shows here.
OfferFilterIn = create_model(
    "OfferFilterIn", __base__=Schema,
    **{p.name: _param_field(p) for p in FILTER_PARAMS},
    q=(str | None, Field(None, max_length=2000, description=Q_HELP)),
    sort=(str, Field("price_per_hour", max_length=64,
                     description="numeric field, '-' for descending")),
    page=(int, Field(1, ge=1, le=1_000_000)),
    per_page=(int, Field(50, ge=1, le=500)),
)
OfferOut = create_model(
    "OfferOut",
    **{f.name: (f.annotation, Field(description=f.description)) for f in OFFER_FIELDS},
)


class RelaxationOut(BaseModel):
    param: str
    constraint: str
    suggestion: str
    offers: int


class OfferPageOut(BaseModel):
    items: list[OfferOut]
    total: int
    page: int
    per_page: int
    warnings: list[str]
    relaxations: list[RelaxationOut]


class BreakerOut(BaseModel):
    state: str = Field(description="closed, open (not asked until retry_at) or half_open")
    failures: int = Field(description="failed syncs in a row")
    threshold: int
    opened_at: datetime | None
    retry_at: datetime | None


class ProviderStatusOut(BaseModel):
    name: str
    cloud: str = Field(description="the company: a catalog and a live API of one cloud share it")
    kind: str
    enabled: bool
    source: str
    offers: int
    last_sync: datetime | None
    last_success: datetime | None
    status: str
    error: str | None
    notes: list[str]
    unknown_gpus: dict[str, int]
    skipped: dict[str, int]
    breaker: BreakerOut


class ProvidersConfigOut(BaseModel):
    clouds: int = Field(description="distinct clouds (catalog and live API of one count once)")
    live_sources: int = Field(description="live provider API sources")
    providers: list[ProviderStatusOut]


LiveOffersIn = create_model(
    "LiveOffersIn", __base__=OfferFilterIn,
    provider=(str, Field(..., max_length=64,
                         description="the live provider API to ask now, e.g. lambda-api")),
)
LiveOfferOut = create_model(
    "LiveOfferOut", __base__=OfferOut,
    id=(int | None, Field(None, description="always null: a live offer is not stored")),
)


class LiveOffersOut(BaseModel):
    provider: str
    key_source: str = Field(description="whose key asked: user, server, or none (keyless API)")
    fetched_at: datetime
    items: list[LiveOfferOut]
    total: int
    page: int
    per_page: int
    warnings: list[str]
    relaxations: list[RelaxationOut]
    skipped: dict[str, int]
    unknown_gpus: dict[str, int]
    notes: list[str]


class PagingIn(Schema):
    sort: str = Field("price_per_hour", max_length=64,
                      description="numeric field, '-' for descending")
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=500)


class SavedSearchRef(BaseModel):
    id: int
    name: str
    q: str
    filters: dict[str, Any]


class SavedSearchOffersOut(OfferPageOut):
    search: SavedSearchRef


class PriceObservationOut(BaseModel):
    observed_at: datetime
    price_per_hour: float
    price_per_gpu_hour: float
    source: str


class OfferHistoryOut(BaseModel):
    offer_id: int
    provider: str
    instance_type: str
    region: str
    spot: bool
    gpu_name: str | None
    observations: list[PriceObservationOut]


# Saved searches: every stored string refuses control characters (PostgreSQL cannot store
# NUL) and has a bound length.
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
_NAME = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"  # one visible character
_Line = Annotated[str, StringConstraints(max_length=200, pattern=_PRINTABLE)]
FilterKey = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=_PRINTABLE)]
FilterValue = (_Line | bool | int | float
               | Annotated[list[_Line | int | float], Field(max_length=50)] | None)
Filters = Annotated[dict[FilterKey, FilterValue], Field(max_length=32)]
SearchName = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=_NAME)]
SearchQuery = Annotated[str, StringConstraints(max_length=2000, pattern=_PRINTABLE)]


class SavedSearchIn(StrictIn):
    name: SearchName
    q: SearchQuery = ""
    filters: Filters = {}


class SavedSearchPatch(StrictIn):
    name: SearchName | None = None
    q: SearchQuery | None = None
    filters: Filters | None = None


class SavedSearchOut(Schema):
    id: int
    name: str
    q: str
    filters: dict[str, Any]
    created_at: datetime
    updated_at: datetime
