"""What a price per GPU-hour buys: dense BF16 TFLOP-hours and reference-model tokens.

GPU facts come from mathcore's datasheet table (dense BF16 peak, per GPU). Tokens come
from the workload estimator: one reference model served at load (many requests batched),
on one GPU; `reference_tokens_per_s` is the one place that asks the estimator.
"""

from __future__ import annotations

from functools import lru_cache

from mathcore import kpis
from mathcore.errors import MathInputError
from mathcore.estimator import Workload, estimate
from mathcore.gpus import GPU_SPECS

REFERENCE_MODEL = "Llama-3.1-8B"
REFERENCE_PRECISION = "bf16"
REFERENCE = (f"{REFERENCE_MODEL} {REFERENCE_PRECISION} on one GPU served at load (the "
             "estimator's throughput mode: as many 512 + 256-token requests as the KV cache "
             "holds), output tokens per second")


def bf16_tflops(gpu: str) -> float | None:
    spec = GPU_SPECS.get(gpu)
    return spec.bf16_tflops if spec else None


@lru_cache(maxsize=512)
def reference_tokens_per_s(gpu: str) -> tuple[float | None, str | None]:
    """(output tokens/s of the reference model on one ``gpu``, None) or (None, why not)."""
    try:
        result = estimate(Workload(task="inference", gpu=gpu, model=REFERENCE_MODEL,
                                   precision=REFERENCE_PRECISION, mode="throughput"))
    except MathInputError as exc:
        return None, f"the estimator cannot time {gpu}: {exc}"
    if not result.fits:
        return None, f"{REFERENCE_MODEL} {REFERENCE_PRECISION} does not fit in one {gpu}"
    return result.throughput_tokens_per_s, None


def usd_per_tflop_hour(gpu: str, usd_per_gpu_hour: float | None) -> float | None:
    tflops = bf16_tflops(gpu)
    if tflops is None or usd_per_gpu_hour is None:
        return None
    return kpis.usd_per_tflop_hour(usd_per_gpu_hour, tflops)


def usd_per_million_tokens(gpu: str, usd_per_gpu_hour: float | None) -> float | None:
    rate, _ = reference_tokens_per_s(gpu)
    if rate is None or usd_per_gpu_hour is None:
        return None
    return kpis.usd_per_million_tokens(usd_per_gpu_hour, rate)


def value_of(gpu: str, usd_per_gpu_hour: float | None) -> dict[str, object]:
    """Both measures for one price per GPU-hour of ``gpu``, with why one is missing."""
    rate, why = reference_tokens_per_s(gpu)
    tflops = bf16_tflops(gpu)
    return {
        "bf16_tflops": tflops,
        "usd_per_tflop_hour": usd_per_tflop_hour(gpu, usd_per_gpu_hour),
        "reference_tokens_per_s": rate,
        "usd_per_million_tokens": usd_per_million_tokens(gpu, usd_per_gpu_hour),
        "reason": _reason(gpu, tflops, why, priced=usd_per_gpu_hour is not None),
    }


def _reason(gpu: str, tflops: float | None, tokens_why: str | None, *,
            priced: bool) -> str | None:
    reasons = [] if priced else ["no on-demand offer to price"]
    if tflops is None:
        spec = GPU_SPECS.get(gpu)
        reasons.append(f"{gpu} has no single dense BF16 figure" + (
            f" (it stands for {', '.join(spec.variants)}: see models)"
            if spec and spec.variants else ""))
    if tokens_why:
        reasons.append(tokens_why)
    return "; ".join(reasons) or None
