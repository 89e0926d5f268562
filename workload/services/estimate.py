"""One workload's estimate (memory, speed, time, cost) and what a price means per token."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from market.normalize.gpu_names import gpu_identify, gpu_names_nearest
from mathcore import kpis
from mathcore.errors import MathInputError
from mathcore.estimator import Estimate, Workload, estimate
from mathcore.gpus import GPU_SPECS

_WORKLOAD_FIELDS = frozenset(f.name for f in dataclasses.fields(Workload))
# Fields whose default is not None: an explicit null means "use the default".
_DEFAULTED = frozenset(f.name for f in dataclasses.fields(Workload)
                       if f.default is not None and f.default is not dataclasses.MISSING)


def estimate_as_dict(result: Estimate) -> dict[str, Any]:
    w = result.workload
    return {
        "task": w.task, "model": result.model_name, "params_b": round(result.params_b, 3),
        "precision": w.precision, "method": w.method, "gpu": result.hardware.name,
        "gpu_count": w.gpu_count, "fits": result.fits, "memory_gb": result.memory.as_dict(),
        "memory_per_gpu_gb": round(result.memory.per_gpu_gb, 3),
        "gpu_memory_gb": result.hardware.memory_gb, "min_gpus": result.min_gpus,
        "mode": w.mode, "parallelism": result.parallelism, "runtime": w.runtime,
        "batch_used": result.batch_used, "kv_cache_gb": round(result.kv_cache_gb, 3),
        "decode_tokens_per_s": result.decode_tokens_per_s,
        "prefill_tokens_per_s": result.prefill_tokens_per_s,
        "throughput_tokens_per_s": result.throughput_tokens_per_s,
        "time_to_first_token_s": result.time_to_first_token_s,
        "per_user_tokens_per_s": result.per_user_tokens_per_s,
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
    given = {k: v for k, v in data.items() if not (v is None and k in _DEFAULTED)}
    return Workload(**_canonical_gpu_in(given))


def at_load_by_default(data: Mapping[str, Any]) -> dict[str, Any]:
    """Inference without a batch or mode is served at load (mode throughput); a batch
    given without a mode means that batch (mode latency)."""
    if data.get("task", "inference") != "inference" or data.get("mode") is not None:
        return dict(data)
    return {**data, "mode": "latency" if data.get("batch") is not None else "throughput"}


def gpu_canonical(name: str) -> str:
    """The canonical GPU a spelling means ("RTX 4090", "nvidia h100 sxm"); unknown: as given."""
    if name in GPU_SPECS:
        return name
    identity = gpu_identify(name)
    return identity.name if identity else name


def gpu_unknown_message(name: str) -> str:
    """What to say about a GPU name nobody knows: the known names nearest to it."""
    nearest = gpu_names_nearest(name)
    near = f"nearest known names: {', '.join(nearest)}; " if nearest else ""
    return f"unknown GPU {name!r}: {near}GET /api/v2/math/gpus lists every canonical name"


def _canonical_gpu_in(data: Mapping[str, Any]) -> dict[str, Any]:
    gpu = data.get("gpu")
    if not isinstance(gpu, str):
        return dict(data)
    canonical = gpu_canonical(gpu)
    if canonical not in GPU_SPECS:
        raise MathInputError(gpu_unknown_message(gpu))
    return {**data, "gpu": canonical}


def cost_per_token(*, data: Mapping[str, Any]) -> dict[str, Any]:
    """POST /cost-per-token: what an hourly price means per token, TFLOP and GB, from
    the same estimate as POST /estimate (at load unless a batch or mode is given)."""
    price = data["price_per_hour"]
    result = estimate(workload_of(at_load_by_default({"task": "inference", **data})))
    w, hw = result.workload, result.hardware
    batch = result.batch_used or w.batch
    decode_rate = batch * (result.decode_tokens_per_s or 0.0)
    throughput = result.throughput_tokens_per_s or 0.0
    blended_rate = throughput * (w.input_tokens + w.output_tokens) / w.output_tokens
    prefill_rate = (result.prefill_tokens_per_s or 0.0) * (
        batch if w.mode == "throughput" else 1)
    return {
        "mode": w.mode, "batch_used": result.batch_used,
        "usd_per_million_tokens": {
            "output": kpis.usd_per_million_tokens(price, throughput),
            "decode": kpis.usd_per_million_tokens(price, decode_rate),
            "prefill": kpis.usd_per_million_tokens(price, prefill_rate),
            "blended": kpis.usd_per_million_tokens(price, blended_rate)},
        "usd_per_tflop_hour": kpis.usd_per_tflop_hour(price, hw.peak_tflops, w.gpu_count),
        "usd_per_gb_vram_hour": kpis.usd_per_gb_vram_hour(price, hw.memory_gb, w.gpu_count),
        "usd_per_gpu_hour": kpis.usd_per_gpu_hour(price, w.gpu_count),
        "peak_tflops": hw.peak_tflops, "peak_figure": hw.peak_figure,
        "throughput": {"decode_tokens_per_s": decode_rate,
                       "prefill_tokens_per_s": prefill_rate,
                       "throughput_tokens_per_s": throughput,
                       "blended_tokens_per_s": blended_rate,
                       "per_user_tokens_per_s": result.per_user_tokens_per_s,
                       "time_to_first_token_s": result.time_to_first_token_s},
        "fits": result.fits, "min_gpus": result.min_gpus,
        "assumptions": [*result.assumptions,
                        "output: output tokens/s of all GPUs, prefill included (the "
                        "estimate's usd_per_million_tokens); decode: output tokens of the "
                        "batch at the decode rate alone; blended: prompt + output tokens "
                        "per request over its whole time"],
    }
