"""Recommend: stored offers that hold a workload, each estimated on its own GPUs and price,
best first: inference by cost per million output tokens at load (the batch each offer's
KV cache holds; latency mode when the workload gives a batch or mode), other work, or any
work with `weights` given, by TOPSIS (cost, speed, memory headroom)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from market.selectors import offers_matching
from mathcore import kpis
from mathcore.errors import MathInputError
from mathcore.estimator import Estimate, estimate
from mathcore.estimator.ranking import criteria_weights, rank_candidates
from workload.services.estimate import at_load_by_default, workload_of

_NO_OFFERS_NOTE = ("no offers in the store yet: run `gpubroker sync`, then "
                   "POST /api/v2/math/recommend")
# recommend ranks inference by cost per million tokens at load unless weights are given.
INFERENCE_WEIGHTS = {"cost": 1.0, "speed": 0.0, "headroom": 0.0}


def offers_recommended(*, workload: Mapping[str, Any], filters: Mapping[str, Any] | None = None,
                       weights: Mapping[str, float] | None = None,
                       limit: int = 10) -> dict[str, Any]:
    """Offers that hold `workload`, each estimated on its own GPUs and price, ranked
    with TOPSIS (cost, speed, memory headroom), best first."""
    base = at_load_by_default({k: v for k, v in workload.items()
                               if k not in ("gpu", "gpu_count", "price_per_hour")})
    inference = base.get("task") == "inference"
    chosen = criteria_weights(weights if weights or not inference else INFERENCE_WEIGHTS)
    workload_of({**base, "gpu": "H100-SXM"})  # the workload's own fields, checked up front
    offers = offers_matching(dict(filters or {}))
    candidates, skipped = _estimated_offers(base, offers)
    ranked, notes = rank_candidates([c["criteria"] for c in candidates], chosen)
    if inference and not weights:
        notes.append(f"ranked by cost per million output tokens, mode {base['mode']}"
                     + (" (each offer at the batch its KV cache holds)"
                        if base["mode"] == "throughput" else ""))
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
                     "gpu_count": result.workload.gpu_count, "mode": result.workload.mode,
                     "parallelism": result.parallelism, "batch_used": result.batch_used,
                     "throughput_tokens_per_s": result.throughput_tokens_per_s,
                     "per_user_tokens_per_s": result.per_user_tokens_per_s,
                     "time_to_first_token_s": result.time_to_first_token_s,
                     "decode_tokens_per_s": result.decode_tokens_per_s}}


def _item(candidate: dict[str, Any], ranked: Any) -> dict[str, Any]:
    return {"offer": candidate["offer"], "estimate": candidate["estimate"],
            "score": ranked.score, "contributions": ranked.contributions}
