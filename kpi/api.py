"""`/api/v2/kpi`: overview, one GPU, one provider, market insights, price history."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from common.schemas import errors
from kpi import insights, selectors, trend
from kpi.schemas import (
    KpiGpuOut,
    KpiHistoryIn,
    KpiHistoryOut,
    KpiInsightsIn,
    KpiInsightsOut,
    KpiOverviewOut,
    KpiProviderOut,
)
from market.normalize.gpu_names import canonical_gpu_names

router = Router()


@router.get("/overview", response=KpiOverviewOut, summary="The market at a glance")
def overview(request: HttpRequest) -> dict:
    return selectors.kpi_overview()


@router.get("/gpu/{gpu}", response=KpiGpuOut, summary="Prices, value and trend of one GPU")
def gpu(request: HttpRequest, gpu: str) -> dict:
    return selectors.kpi_gpu(gpu=gpu)


@router.get("/provider/{name}", response=KpiProviderOut,
            summary="A provider's prices against the market, and its sync reliability")
def provider(request: HttpRequest, name: str) -> dict:
    return selectors.kpi_provider(name=name)


@router.get("/insights/market", response=KpiInsightsOut,
            summary="Cheapest, best value, price moves, spreads and supply")
def insights_market(request: HttpRequest, params: Query[KpiInsightsIn]) -> dict:
    return insights.kpi_insights_market(since=params.since, limit=params.limit)


@router.get("/history", response={200: KpiHistoryOut, **errors(404)},
            summary="Min / median / max price per GPU-hour")
def history(request: HttpRequest, params: Query[KpiHistoryIn]) -> dict:
    gpus = selectors.gpu_members(params.gpu) if params.gpu else canonical_gpu_names()
    return trend.kpi_history(gpus=gpus, provider=params.provider, spot=params.spot,
                             interval=params.interval, since=params.since, until=params.until)
