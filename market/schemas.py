"""Request and response shapes of ``/api/v2/providers``.

Responses are plain pydantic models built from dicts: Ninja's ``Schema`` reads attributes
through a Django-aware getter that costs ~10 ms for a page of 50 offers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BaseModel, StringConstraints

Q_HELP = ("filter language: gpu_memory_gb>=40 gpu_count>=2 price_per_hour<3 "
          "provider in [aws,gcp] spot=false")
GPU_HELP = "GPU name, alias or family (A100 = 40 and 80 GB); repeat or comma-separate"


class OfferFilterIn(Schema):
    gpu: list[str] | None = Field(None, description=GPU_HELP)
    provider: list[str] | None = Field(None, description="provider name(s)")
    region: list[str] | None = Field(None, description="region as the provider names it")
    country: list[str] | None = Field(None, description="ISO code or name (US, Germany)")
    continent: list[str] | None = Field(None, description="NA, SA, EU, AS, AF, OC or the name")
    vendor: list[str] | None = Field(
        None, description="accelerator vendor (nvidia, amd, google, aws, intel …)")
    kind: list[str] | None = Field(None, description="gpu, tpu, asic or fpga")
    min_gpu_count: float | None = Field(None, ge=0)
    max_gpu_count: float | None = Field(None, ge=0)
    min_gpu_memory_gb: float | None = Field(None, ge=0, description="per GPU")
    min_total_gpu_memory_gb: float | None = Field(None, ge=0)
    min_vcpus: float | None = Field(None, ge=0)
    min_memory_gb: float | None = Field(None, ge=0)
    min_disk_gb: float | None = Field(None, ge=0)
    max_price: float | None = Field(None, ge=0, description="USD per instance-hour")
    max_price_per_gpu: float | None = Field(None, ge=0, description="USD per GPU-hour")
    spot: bool | None = Field(
        None, description="true: spot only; false: on-demand only; default both")
    q: str | None = Field(None, max_length=2000, description=Q_HELP)
    sort: str = Field(
        "price_per_hour", max_length=64, description="numeric field, '-' for descending")
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=500)


class OfferOut(BaseModel):
    id: int
    provider: str
    instance_type: str
    region: str
    zones: list[str]
    country: str | None
    continent: str | None
    gpu_name: str | None
    gpu_raw_name: str
    gpu_vendor: str | None
    gpu_kind: str | None
    gpu_count: float
    gpu_memory_gb: float | None
    total_gpu_memory_gb: float | None
    vcpus: float | None
    memory_gb: float | None
    disk_gb: float | None
    price_per_hour: float
    price_per_gpu_hour: float
    spot: bool
    source: str
    fetched_at: datetime
    stale: bool


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


class LiveOffersIn(OfferFilterIn):
    provider: str = Field(  # type: ignore[assignment]
        ..., max_length=64, description="the live provider API to ask now, e.g. lambda-api")


class LiveOfferOut(OfferOut):
    id: int | None = Field(None, description="always null: a live offer is not stored")


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


class SavedSearchIn(Schema):
    name: SearchName
    q: SearchQuery = ""
    filters: Filters = {}


class SavedSearchPatch(Schema):
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
