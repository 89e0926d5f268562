"""Workload templates: questions → a workload, its estimate and the best offers for it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from common.errors import NotFound
from mathcore.errors import MathInputError
from mathcore.gpus import gpu_spec
from mathcore.templates import TEMPLATES, memory_only_gb, template, template_workload
from workload.services.estimate import workload_estimate
from workload.services.recommend import offers_recommended


def templates_list() -> list[dict[str, Any]]:
    return [t.as_dict() for t in TEMPLATES]


def template_apply(*, template_id: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """POST /templates/{id}/apply: the workload the answers mean, its estimate, and
    the best offers for it."""
    try:
        tmpl = template(template_id)
    except MathInputError as exc:
        raise NotFound(str(exc)) from exc
    fields = template_workload(template_id, answers)
    if tmpl.memory_only is not None:
        return _memory_only_apply(tmpl.memory_only, fields)
    workload = {k: v for k, v in fields.items() if v is not None}
    result = workload_estimate(data=workload)
    offers = offers_recommended(workload=workload, limit=5)
    return {"workload": workload, "estimate": result, "recommendations": offers["items"],
            "recommendation_notes": offers["notes"]}


def _memory_only_apply(model: Any, fields: dict[str, Any]) -> dict[str, Any]:
    spec = gpu_spec(fields["gpu"])
    weights = memory_only_gb(model, fields["precision"])
    total = weights + 0.8 * fields["gpu_count"]
    per_gpu = total / fields["gpu_count"]
    fits = spec.memory_gb is not None and per_gpu <= spec.memory_gb
    return {"workload": {"model": model.name, "params_b": model.params_b, **fields},
            "estimate": {"estimate": "memory fit only", "fits": fits,
                         "memory_gb": {"weights": weights, "overhead": total - weights,
                                       "total": total},
                         "memory_per_gpu_gb": per_gpu, "gpu_memory_gb": spec.memory_gb,
                         "assumptions": [
                             f"{model.name}: {model.params_b} B parameters ({model.source})",
                             "weights only: activations of this model are not estimated; "
                             "no speed or cost estimate (no published measurement here)"]},
            "recommendations": [], "recommendation_notes": [
                "offers are ranked for LLM workloads only"]}
