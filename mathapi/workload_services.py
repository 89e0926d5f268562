"""Services of the workload area: dicts in, mathcore dataclasses in between, dicts out.

Endpoints and the CLI call these; they never raise HTTP errors: bad input is a
MathInputError (400), an unknown GPU or template in a path is common.errors.NotFound (404).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from common.errors import NotFound
from market.gpu_names import gpu_identify
from mathcore import kpis
from mathcore.errors import MathInputError
from mathcore.estimator import Estimate, Workload, estimate
from mathcore.estimator.ranking import criteria_weights, rank_candidates
from mathcore.gpus import GPU_SPECS, GpuSpec, gpu_spec
from mathcore.templates import TEMPLATES, memory_only_gb, template, template_workload

_WORKLOAD_FIELDS = frozenset(f.name for f in dataclasses.fields(Workload))
_NO_OFFERS_NOTE = ("no offers in the store yet: run `gpubroker sync`, then "
                   "POST /api/v2/math/recommend")


def estimate_as_dict(result: Estimate) -> dict[str, Any]:
    w = result.workload
    return {
        "task": w.task, "model": result.model_name, "params_b": round(result.params_b, 3),
        "precision": w.precision, "method": w.method, "gpu": result.hardware.name,
        "gpu_count": w.gpu_count, "fits": result.fits, "memory_gb": result.memory.as_dict(),
        "memory_per_gpu_gb": round(result.memory.per_gpu_gb, 3),
        "gpu_memory_gb": result.hardware.memory_gb, "min_gpus": result.min_gpus,
        "decode_tokens_per_s": result.decode_tokens_per_s,
        "prefill_tokens_per_s": result.prefill_tokens_per_s,
        "throughput_tokens_per_s": result.throughput_tokens_per_s,
        "train_tokens_per_s": result.train_tokens_per_s, "time_hours": result.time_hours,
        "usd_per_million_tokens": result.usd_per_million_tokens,
        "usd_to_finish": result.usd_to_finish, "efficiency": result.efficiency,
        "assumptions": list(result.assumptions),
    }


def workload_estimate(*, data: Mapping[str, Any]) -> dict[str, Any]:
    """POST /estimate: the estimate of one workload (see mathcore.estimator.Workload)."""
    return estimate_as_dict(estimate(workload_of(data)))


def workload_of(data: Mapping[str, Any]) -> Workload:
    """A Workload from a dict of its fields; MathInputError names a field it lacks."""
    unknown = sorted(set(data) - _WORKLOAD_FIELDS)
    if unknown:
        raise MathInputError(f"unknown workload field {unknown[0]!r}")
    return Workload(**_canonical_gpu_in(data))


def gpu_canonical(name: str) -> str:
    """The canonical GPU a spelling means ("RTX 4090", "nvidia h100 sxm"); unknown: as given."""
    if name in GPU_SPECS:
        return name
    identity = gpu_identify(name)
    return identity.name if identity else name


def _canonical_gpu_in(data: Mapping[str, Any]) -> dict[str, Any]:
    gpu = data.get("gpu")
    return {**data, "gpu": gpu_canonical(gpu)} if isinstance(gpu, str) else dict(data)


def cost_per_token(*, data: Mapping[str, Any]) -> dict[str, Any]:
    """POST /cost-per-token: what an hourly price means per token, TFLOP and GB."""
    price = data["price_per_hour"]
    result = estimate(Workload(task="inference", **_canonical_gpu_in(data)))
    w, hw = result.workload, result.hardware
    decode_rate = w.batch * (result.decode_tokens_per_s or 0.0)
    throughput = result.throughput_tokens_per_s or 0.0
    blended_rate = throughput * (w.input_tokens + w.output_tokens) / w.output_tokens
    return {
        "usd_per_million_tokens": {
            "decode": kpis.usd_per_million_tokens(price, decode_rate),
            "prefill": kpis.usd_per_million_tokens(price, result.prefill_tokens_per_s or 0.0),
            "blended": kpis.usd_per_million_tokens(price, blended_rate)},
        "usd_per_tflop_hour": kpis.usd_per_tflop_hour(price, hw.peak_tflops, w.gpu_count),
        "usd_per_gb_vram_hour": kpis.usd_per_gb_vram_hour(price, hw.memory_gb, w.gpu_count),
        "usd_per_gpu_hour": kpis.usd_per_gpu_hour(price, w.gpu_count),
        "peak_tflops": hw.peak_tflops, "peak_figure": hw.peak_figure,
        "throughput": {"decode_tokens_per_s": decode_rate,
                       "prefill_tokens_per_s": result.prefill_tokens_per_s,
                       "throughput_tokens_per_s": throughput,
                       "blended_tokens_per_s": blended_rate},
        "fits": result.fits, "min_gpus": result.min_gpus,
        "assumptions": [*result.assumptions,
                        "decode: output tokens of the whole batch at the decode rate; "
                        "blended: prompt + output tokens per request over its whole time"],
    }


def gpu_as_dict(spec: GpuSpec) -> dict[str, Any]:
    data = dataclasses.asdict(spec)
    data["sources"], data["variants"] = list(spec.sources), list(spec.variants)
    return data


def gpus_list() -> list[dict[str, Any]]:
    return [gpu_as_dict(spec) for spec in GPU_SPECS.values()]


def gpu_get(*, name: str) -> dict[str, Any]:
    try:
        return gpu_as_dict(gpu_spec(gpu_canonical(name)))
    except MathInputError as exc:
        raise NotFound(f"unknown GPU {name!r}: see GET /api/v2/math/gpus for the "
                       "canonical names") from exc


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


def offers_recommended(*, workload: Mapping[str, Any], filters: Mapping[str, Any] | None = None,
                       weights: Mapping[str, float] | None = None,
                       limit: int = 10) -> dict[str, Any]:
    """Offers that hold `workload`, each estimated on its own GPUs and price, ranked
    with TOPSIS (cost, speed, memory headroom), best first."""
    from market.selectors import offers_matching

    chosen = criteria_weights(weights)
    base = {k: v for k, v in workload.items() if k not in ("gpu", "gpu_count",
                                                           "price_per_hour")}
    workload_of({**base, "gpu": "H100-SXM"})  # the workload's own fields, checked up front
    offers = offers_matching(dict(filters or {}))
    candidates, skipped = _estimated_offers(base, offers)
    ranked, notes = rank_candidates([c["criteria"] for c in candidates], chosen)
    items = [_item(candidates[r.index], r) for r in ranked[:limit]]
    if not offers:
        notes.append(_NO_OFFERS_NOTE if not filters else "no offer matches the filters")
    return {"items": items, "fitting": len(candidates), "skipped": skipped,
            "weights": chosen, "notes": notes}


def _estimated_offers(base: Mapping[str, Any], offers: list[dict[str, Any]]) -> tuple[
        list[dict[str, Any]], dict[str, int]]:
    cache: dict[tuple[str, int], Estimate | None] = {}
    fitting, skipped = [], {"unknown_gpu_or_figures": 0, "does_not_fit": 0}
    for offer in offers:
        key = (offer.get("gpu_name") or "", int(offer.get("gpu_count") or 0))
        if key not in cache:
            cache[key] = _try_estimate(base, *key)
        result = cache[key]
        if result is None or not offer.get("price_per_hour"):
            skipped["unknown_gpu_or_figures"] += 1
        elif not result.fits:
            skipped["does_not_fit"] += 1
        else:
            fitting.append(_candidate(offer, result, float(offer["price_per_hour"])))
    return fitting, skipped


def _try_estimate(base: Mapping[str, Any], gpu: str, count: int) -> Estimate | None:
    if count < 1:
        return None
    try:
        return estimate(workload_of({**base, "gpu": gpu, "gpu_count": count}))
    except MathInputError:
        return None


def _candidate(offer: dict[str, Any], result: Estimate, price: float) -> dict[str, Any]:
    rate = result.tokens_per_s
    per_million = kpis.usd_per_million_tokens(price, rate)
    hours = result.time_hours
    to_finish = kpis.usd_to_finish(price, hours) if hours is not None else None
    headroom = result.hardware.memory_gb - result.memory.per_gpu_gb
    return {"offer": offer, "criteria": {
        "cost": to_finish if to_finish is not None else per_million, "speed": rate,
        "headroom": headroom},
        "estimate": {"tokens_per_s": rate, "usd_per_million_tokens": per_million,
                     "time_hours": hours, "usd_to_finish": to_finish,
                     "memory_per_gpu_gb": result.memory.per_gpu_gb,
                     "decode_tokens_per_s": result.decode_tokens_per_s}}


def _item(candidate: dict[str, Any], ranked: Any) -> dict[str, Any]:
    return {"offer": candidate["offer"], "estimate": candidate["estimate"],
            "score": ranked.score, "contributions": ranked.contributions}
