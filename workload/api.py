"""`/api/v2/math`: workload estimate, cost per token, GPU facts, templates, recommend.

Thin endpoints: parse the schema, call one service in workload.services, return.
Bad input is a MathInputError (400) or a schema error (422); unknown GPU or template in
the path is a 404; all JSON.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from workload import services
from workload.schemas import (
    ApplyIn,
    ApplyOut,
    CostPerTokenIn,
    CostPerTokenOut,
    EstimateOut,
    GpuOut,
    RecommendIn,
    RecommendOut,
    TemplateOut,
    WorkloadIn,
)

router = Router()


@router.post("/estimate", response=EstimateOut,
             summary="Memory, speed, time and cost of an LLM workload on a GPU kind")
def estimate(request: HttpRequest, payload: WorkloadIn) -> dict[str, Any]:
    return services.workload_estimate(data=payload.dict())


@router.post("/cost-per-token", response=CostPerTokenOut,
             summary="What an hourly price means per million tokens, TFLOP-hour and GB-hour")
def cost_per_token(request: HttpRequest, payload: CostPerTokenIn) -> dict[str, Any]:
    return services.cost_per_token(data=payload.dict())


@router.get("/gpus", response=list[GpuOut], summary="Datasheet facts of every known GPU")
def gpus(request: HttpRequest) -> list[dict[str, Any]]:
    return services.gpus_list()


@router.get("/gpus/{name}", response=GpuOut, summary="Datasheet facts of one GPU")
def gpu(request: HttpRequest, name: str) -> dict[str, Any]:
    return services.gpu_get(name=name)


@router.get("/templates", response=list[TemplateOut], summary="Workload templates")
def templates(request: HttpRequest) -> list[dict[str, Any]]:
    return services.templates_list()


@router.post("/templates/{template_id}/apply", response=ApplyOut,
             summary="Answer a template: its workload, estimate and best offers")
def template_apply(request: HttpRequest, template_id: str, payload: ApplyIn) -> dict[str, Any]:
    return services.template_apply(template_id=template_id, answers=payload.answers)


@router.post("/recommend", response=RecommendOut,
             summary="Offers that hold a workload, ranked by TOPSIS on cost, speed, headroom")
def recommend(request: HttpRequest, payload: RecommendIn) -> dict[str, Any]:
    return services.offers_recommended(workload=payload.workload.dict(),
                                       filters=payload.filters,
                                       weights=payload.weights, limit=payload.limit,
                                       group=payload.group)
