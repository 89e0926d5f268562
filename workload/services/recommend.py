"""Recommend: stored offers that hold a workload, each estimated on its own GPUs and price,
best first: inference by cost per million output tokens at load (the batch each offer's
KV cache holds; latency mode when the workload gives a batch or mode), other work, or any
work with `weights` given, by TOPSIS (cost, speed, memory headroom)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
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
                       weights: Mapping[str, float] | None = None, limit: int = 10,
                       group: bool = True) -> dict[str, Any]:
    """Offers that hold `workload`, each estimated on its own GPUs and price, ranked
    with TOPSIS (cost, speed, memory headroom), best first.

    ``group``: offers that differ only by region (same provider, instance type, spot and
    price) are one item, whose ``regions`` and ``offer_ids`` list them all (the offer
    shown is the first); ``False`` keeps one item per offer.
    """
    base = at_load_by_default({k: v for k, v in workload.items()
                               if k not in ("gpu", "gpu_count", "price_per_hour")})
    inference = base.get("task") == "inference"
    chosen = criteria_weights(weights if weights or not inference else INFERENCE_WEIGHTS)
    workload_of({**base, "gpu": "H100-SXM"})  # the workload's own fields, checked up front
    offers = offers_matching(dict(filters or {}))
    fitting, skipped = _estimated_offers(base, offers)
    candidates = _grouped(fitting) if group else [_alone(c) for c in fitting]
    ranked, notes = rank_candidates([c["criteria"] for c in candidates], chosen, limit=limit)
    if inference and not weights:
        notes.append(f"ranked by cost per million output tokens, mode {base['mode']}"
                     + (" (each offer at the batch its KV cache holds)"
                        if base["mode"] == "throughput" else ""))
    items = [_item(candidates[r.index], r) for r in ranked]
    if not offers:
        notes.append(_NO_OFFERS_NOTE if not filters else "no offer matches the filters")
    return {"items": items, "fitting": len(fitting), "skipped": skipped,
            "weights": chosen, "notes": notes}


def _grouped(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for c in candidates:
        o = c["offer"]
        key = (o["provider"], o["instance_type"], o["spot"], o["price_per_hour"])
        groups.setdefault(key, []).append(c)
    return [{**members[0], "regions": [m["offer"]["region"] for m in members],
             "offer_ids": [m["offer"]["id"] for m in members]} for members in groups.values()]


def _alone(candidate: dict[str, Any]) -> dict[str, Any]:
    offer = candidate["offer"]
    return {**candidate, "regions": [offer["region"]], "offer_ids": [offer["id"]]}


def _estimated_offers(base: Mapping[str, Any], offers: list[Mapping[str, Any]]) -> tuple[
        list[dict[str, Any]], dict[str, int]]:
    # One estimate per (GPU, count) and one set of figures per (GPU, count, price): an
    # offer adds only itself (thousands of offers share a few hundred GPU kinds and prices).
    workload_key = json.dumps(dict(base), sort_keys=True)
    figures: dict[tuple[str, int, float], dict[str, Any]] = {}
    fitting, skipped = [], {"unknown_gpu_or_figures": 0, "does_not_fit": 0}
    for offer in offers:
        gpu, count = offer.get("gpu_name") or "", int(offer.get("gpu_count") or 0)
        result = estimate_cached(workload_key, gpu, count)
        if result is None or not offer.get("price_per_hour"):
            skipped["unknown_gpu_or_figures"] += 1
        elif not result.fits:
            skipped["does_not_fit"] += 1
        else:
            price = float(offer["price_per_hour"])
            key = (gpu, count, price)
            if key not in figures:
                figures[key] = _figures(result, price)
            fitting.append({"offer": offer, **figures[key]})
    return fitting, skipped


@lru_cache(maxsize=8192)
def estimate_cached(workload_key: str, gpu: str, count: int) -> Estimate | None:
    """The estimate of the workload (`workload_key`: its fields as sorted JSON, without a
    GPU) on `count` GPUs named `gpu`; None when it cannot be estimated. Kept per process:
    an estimate depends only on the workload and the GPU's static figures, never on an
    offer's price or the store, and an Estimate is immutable."""
    return _try_estimate(json.loads(workload_key), gpu, count)


def _try_estimate(base: Mapping[str, Any], gpu: str, count: int) -> Estimate | None:
    if count < 1:
        return None
    try:
        return estimate(workload_of({**base, "gpu": gpu, "gpu_count": count}))
    except MathInputError:
        return None


def _figures(result: Estimate, price: float) -> dict[str, Any]:
    """An offer's criteria and estimate figures: they depend only on its estimate and
    price, so offers alike share one (read-only) copy."""
    rate = result.tokens_per_s
    per_million = kpis.usd_per_million_tokens(price, rate)
    hours = result.time_hours
    to_finish = kpis.usd_to_finish(price, hours) if hours is not None else None
    headroom = result.hardware.memory_gb - result.memory.per_gpu_gb
    return {"criteria": {
        "cost": to_finish if to_finish is not None else per_million, "speed": rate,
        "headroom": headroom},
        # The names of POST /estimate: the same figure has the same name in both.
        "estimate": {"usd_per_million_tokens": per_million, "time_hours": hours,
                     "usd_to_finish": to_finish,
                     "memory_per_gpu_gb": round(result.memory.per_gpu_gb, 3),
                     "gpu_count": result.workload.gpu_count, "mode": result.workload.mode,
                     "parallelism": result.parallelism, "batch_used": result.batch_used,
                     "throughput_tokens_per_s": result.throughput_tokens_per_s,
                     "train_tokens_per_s": result.train_tokens_per_s,
                     "per_user_tokens_per_s": result.per_user_tokens_per_s,
                     "time_to_first_token_s": result.time_to_first_token_s,
                     "decode_tokens_per_s": result.decode_tokens_per_s}}


def _item(candidate: dict[str, Any], ranked: Any) -> dict[str, Any]:
    return {"offer": candidate["offer"], "regions": candidate["regions"],
            "offer_ids": candidate["offer_ids"], "estimate": candidate["estimate"],
            "score": ranked.score, "contributions": ranked.contributions}
