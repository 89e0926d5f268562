"""Request and response shapes of ``/api/v2/kpi``. Prices are USD per GPU-hour unless named
``price_per_hour`` (the whole offer); fractions (spot_discount, change) are 0.1 = 10 %."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import BaseModel


class KpiPriceStats(BaseModel):
    offers: int
    min: float
    p25: float
    median: float
    p75: float
    max: float


class KpiValue(BaseModel):
    bf16_tflops: float | None = Field(description="dense BF16 peak of one GPU (datasheet)")
    usd_per_tflop_hour: float | None
    reference_tokens_per_s: float | None = Field(
        description="reference model's output tokens/s on one GPU at load (estimator)")
    usd_per_million_tokens: float | None
    reason: str | None = Field(description="why a figure is null")


class KpiOfferRef(BaseModel):
    provider: str
    instance_type: str
    region: str
    spot: bool
    gpu_count: float
    price_per_hour: float
    price_per_gpu_hour: float


class KpiProvidersHealth(BaseModel):
    ok: int
    failing: int
    stale: int
    never: int
    names: dict[str, list[str]]


class KpiPopularGpu(BaseModel):
    gpu: str
    offers: int
    median_price_per_gpu_hour: float
    cheapest: KpiOfferRef | None


class KpiOverviewOut(BaseModel):
    engine: str
    providers: KpiProvidersHealth
    offers: int
    gpus: int
    last_sync: datetime | None
    popular_gpus: list[KpiPopularGpu]


class KpiTrend(BaseModel):
    change_7d: float | None
    change_30d: float | None
    volatility_7d: float | None
    volatility_30d: float | None
    days_7d: int
    days_30d: int
    reasons: dict[str, str] = Field(description="why a figure is null")


class KpiGpuModel(BaseModel):
    gpu: str
    offers: int
    median_price_per_gpu_hour: float
    min_price_per_gpu_hour: float
    value: KpiValue


class KpiGpuProvider(BaseModel):
    provider: str
    offers: int
    regions: list[str]
    on_demand: KpiPriceStats | None
    spot: KpiPriceStats | None
    spot_discount: float | None


class KpiGpuOut(BaseModel):
    gpu: str
    engine: str
    gpus: list[str] = Field(description="canonical names the GPU asked for stands for")
    offers: int
    regions: int = Field(description="distinct (provider, region) places")
    on_demand: KpiPriceStats | None
    spot: KpiPriceStats | None
    spot_discount: float | None = Field(description="1 - spot median / on-demand median")
    value: KpiValue = Field(description="at the on-demand median")
    cheapest_value: KpiValue = Field(description="at the cheapest on-demand offer")
    models: list[KpiGpuModel]
    providers: list[KpiGpuProvider]
    trend: KpiTrend


class KpiProviderGpuPrice(BaseModel):
    gpu: str
    spot: bool
    offers: int
    min: float
    median: float
    market_median: float | None


class KpiSyncReliability(BaseModel):
    syncs: int
    ok: int
    success_share: float | None
    status: str
    last_error: str | None
    last_error_at: datetime | None
    last_success: datetime | None
    freshness_s: float | None


class KpiProviderOut(BaseModel):
    provider: str
    engine: str
    kind: str
    offers: int
    gpus: list[str]
    price_index: float | None = Field(
        description="on-demand medians against the market median per GPU, weighted by "
                    "offer count: 1.0 = at market, 0.9 = 10 % cheaper")
    gpu_prices: list[KpiProviderGpuPrice]
    volatility_30d: float | None
    sync: KpiSyncReliability


class KpiCheapestOut(KpiOfferRef):
    gpu: str


class KpiMove(BaseModel):
    provider: str
    instance_type: str
    region: str
    spot: bool
    gpu: str
    gpu_count: float
    old_price_per_hour: float
    new_price_per_hour: float
    old_price_per_gpu_hour: float
    new_price_per_gpu_hour: float
    change: float
    old_observed_at: datetime
    new_observed_at: datetime


class KpiSpread(BaseModel):
    gpu: str
    providers: int
    cheapest_provider: str
    cheapest_median: float
    dearest_provider: str
    dearest_median: float
    spread: float | None = Field(description="(dearest - cheapest) / cheapest median")


class KpiBestValue(KpiValue):
    gpu: str
    offers: int
    median_price_per_gpu_hour: float
    min_price_per_gpu_hour: float


class KpiSupply(BaseModel):
    gpu: str
    continent: str | None
    offers: int
    gpus: float


class KpiInsightsIn(Schema):
    since: datetime | None = Field(None, description="moves since (default: the previous sync)")
    limit: int = Field(20, ge=1, le=500)


class KpiInsightsOut(BaseModel):
    engine: str
    since: datetime | None
    cheapest: list[KpiCheapestOut]
    cheapest_spot: list[KpiCheapestOut]
    drops: list[KpiMove]
    rises: list[KpiMove]
    spread: list[KpiSpread]
    best_value: list[KpiBestValue]
    supply: list[KpiSupply]


class KpiHistoryIn(Schema):
    gpu: str | None = Field(None, max_length=200, description="GPU name, alias or family")
    provider: str | None = Field(None, max_length=64)
    spot: bool | None = None
    interval: Literal["hour", "day", "week"] = "day"
    since: datetime | None = None
    until: datetime | None = None


class KpiHistoryPoint(BaseModel):
    time: datetime
    observations: int
    min: float
    median: float
    max: float


class KpiHistoryOut(BaseModel):
    engine: str
    gpus: list[str]
    provider: str | None
    spot: bool | None
    interval: str
    since: datetime
    until: datetime
    points: list[KpiHistoryPoint]
