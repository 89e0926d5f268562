"""One workload's estimate (memory, speed, time, cost) and what a price means per token."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from market.normalize.gpu_names import gpu_identify
from mathcore import kpis
from mathcore.errors import MathInputError
from mathcore.estimator import Estimate, Workload, estimate
from mathcore.gpus import GPU_SPECS

_WORKLOAD_FIELDS = frozenset(f.name for f in dataclasses.fields(Workload))


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
