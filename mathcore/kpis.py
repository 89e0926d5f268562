"""Cost KPIs of a GPU offer. Pure functions; every unit is in the name.

Prices are for the whole offer (all its GPUs) per hour; TFLOPS and memory are per GPU,
from datasheets (peak, dense). Peak-based costs are lower bounds: pass `utilization`
(model FLOPs utilization, 0 < u <= 1) to price the work a job really gets done.
Every argument must be a finite number > 0, else MathInputError names it.
"""

from __future__ import annotations

from mathcore.errors import MathInputError
from mathcore.validation import positive_finite

SECONDS_PER_HOUR = 3600.0
TFLOP_PER_PFLOP = 1000.0
TOKENS_PER_MILLION = 1_000_000.0


def usd_per_gpu_hour(price_usd_per_hour: float, gpu_count: float) -> float:
    """Price of one GPU for one hour, USD: price_usd_per_hour / gpu_count."""
    return positive_finite(price_usd_per_hour, "price_usd_per_hour") / positive_finite(
        gpu_count, "gpu_count")


def usd_per_tflop_hour(price_usd_per_hour: float, tflops: float, gpu_count: float = 1) -> float:
    """USD per TFLOPS-hour (one TFLOP/s of peak compute for one hour).

    price_usd_per_hour: offer price, USD/h; tflops: peak TFLOP/s of one GPU at the chosen
    precision; gpu_count: GPUs in the offer. Result: price / (tflops x gpu_count).
    """
    total_tflops = positive_finite(tflops, "tflops") * positive_finite(gpu_count, "gpu_count")
    return positive_finite(price_usd_per_hour, "price_usd_per_hour") / total_tflops


def usd_per_pflop(
    price_usd_per_hour: float, tflops: float, gpu_count: float = 1, utilization: float = 1.0
) -> float:
    """USD to compute one PFLOP (10^15 floating-point operations) of work.

    price_usd_per_hour: offer price, USD/h; tflops: peak TFLOP/s per GPU; gpu_count: GPUs;
    utilization: achieved fraction of peak, 0 < u <= 1 (1 = peak, a lower bound on cost).
    Result: price x hours per PFLOP = price x 1000 / (3600 x tflops x gpus x u).
    """
    achieved_tflops = positive_finite(tflops, "tflops") * positive_finite(
        gpu_count, "gpu_count") * _fraction(utilization, "utilization")
    hours_per_pflop = TFLOP_PER_PFLOP / (achieved_tflops * SECONDS_PER_HOUR)
    return positive_finite(price_usd_per_hour, "price_usd_per_hour") * hours_per_pflop


def usd_per_gb_vram_hour(
    price_usd_per_hour: float, gpu_memory_gb: float, gpu_count: float = 1
) -> float:
    """USD per GB of GPU memory per hour: price / (gpu_memory_gb x gpu_count).

    price_usd_per_hour: offer price, USD/h; gpu_memory_gb: memory of one GPU, GB.
    """
    total_gb = positive_finite(gpu_memory_gb, "gpu_memory_gb") * positive_finite(
        gpu_count, "gpu_count")
    return positive_finite(price_usd_per_hour, "price_usd_per_hour") / total_gb


def usd_per_million_tokens(price_usd_per_hour: float, tokens_per_s: float) -> float:
    """USD per million tokens at a sustained throughput.

    price_usd_per_hour: offer price, USD/h; tokens_per_s: tokens the whole offer produces
    (or processes) per second. Result: price / (tokens_per_s x 3600) x 10^6.
    """
    tokens_per_hour = positive_finite(tokens_per_s, "tokens_per_s") * SECONDS_PER_HOUR
    price = positive_finite(price_usd_per_hour, "price_usd_per_hour")
    return price / tokens_per_hour * TOKENS_PER_MILLION


def usd_to_finish(price_usd_per_hour: float, hours: float) -> float:
    """USD to run the offer for `hours` hours (the job's estimated duration): price x hours."""
    return positive_finite(price_usd_per_hour, "price_usd_per_hour") * positive_finite(
        hours, "hours")


def _fraction(value: float, name: str) -> float:
    number = positive_finite(value, name)
    if number > 1.0:
        raise MathInputError(f"{name} must be in (0, 1], got {value!r}")
    return number
