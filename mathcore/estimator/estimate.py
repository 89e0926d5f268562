"""The workload estimate: memory fit, speed, time and cost of one LLM job on one GPU kind."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from mathcore import kpis
from mathcore.estimator.efficiency import (
    KERNEL_LAUNCH_PER_LAYER_S,
    LLAMACPP_QUANTIZED_BANDWIDTH_FRACTION,
    LLAMACPP_QUANTIZED_CEILING_GBS,
    LLAMACPP_QUANTIZED_PER_LAYER_S,
    SERVE_BANDWIDTH_FRACTION,
    SERVE_COMPUTE_FRACTION,
    bandwidth_fraction,
    llamacpp_quantized_bw_gbs,
    matmul_efficiency,
)
from mathcore.estimator.hardware import Hardware, hardware_for
from mathcore.estimator.memory import MemoryBreakdown, memory_breakdown
from mathcore.estimator.parallel import Split, launches_kernels, split_for
from mathcore.estimator.roofline import (
    Model,
    decode_step_s,
    prefill_s,
    runs_llamacpp_quantized,
    train_tokens_per_s,
)
from mathcore.estimator.serving import batch_to_run, kv_capacity, serve, serving_memory
from mathcore.estimator.workload import MAX_GPUS, Workload
from mathcore.llm_models import model_spec, nearest_model

_BASE_ASSUMPTIONS = (
    "memory in GB (10^9 bytes); weights, KV cache and optimizer state split evenly "
    "over the GPUs",
    "speeds are roofline estimates with one set of efficiency factors "
    "(docs/ESTIMATOR.md), not measurements of this GPU",
)
_LATENCY = (
    "mode latency: the batch given, prompts prefilled together, then decoded together; "
    "decode speed per sequence; throughput counts generated tokens of the whole batch, "
    "prefill time included",
)
_THROUGHPUT = (
    "mode throughput: a continuous-batching server at batch_used sequences (as many as "
    "the KV cache holds at 90 % of the memory left after weights, each reserving prompt "
    "+ output, capped by concurrency and max_batch); throughput counts output tokens/s "
    "of all GPUs, every prompt's prefill included",
)
_TRAINING = (
    "training: data/fully-sharded parallel; AdamW mixed precision (16 bytes per trained "
    "parameter); activation checkpointing per layer",
    "train_tokens_per_s counts tokens of all GPUs together",
)


@dataclass(frozen=True)
class Estimate:
    """What `estimate` returns; speeds in tokens/s, times in hours, money in USD."""

    workload: Workload
    model_name: str
    params_b: float
    hardware: Hardware
    memory: MemoryBreakdown
    fits: bool
    min_gpus: int | None
    decode_tokens_per_s: float | None
    prefill_tokens_per_s: float | None
    throughput_tokens_per_s: float | None
    train_tokens_per_s: float | None
    parallelism: str
    batch_used: int | None
    time_to_first_token_s: float | None
    per_user_tokens_per_s: float | None
    time_hours: float | None
    usd_per_million_tokens: float | None
    usd_to_finish: float | None
    efficiency: dict[str, float]
    assumptions: tuple[str, ...] = field(default=())

    @property
    def tokens_per_s(self) -> float:
        """The rate the job's `tokens` are processed at (generated or trained)."""
        rate = self.train_tokens_per_s if self.workload.is_training else \
            self.throughput_tokens_per_s
        assert rate is not None
        return rate

    @property
    def kv_cache_gb(self) -> float:
        """KV cache of the batch run, GB over all GPUs."""
        return self.memory.kv_cache


def resolve_model(workload: Workload) -> tuple[Model, list[str]]:
    """The model to estimate: a known spec, or `params_b` shaped like the nearest one."""
    if workload.model is not None:
        spec = model_spec(workload.model)
        return Model(spec, spec.params_b * 1e9, spec.active_params), []
    assert workload.params_b is not None
    spec = nearest_model(workload.params_b)
    params = workload.params_b * 1e9
    note = (f"params_b only: layers, KV heads and widths taken from {spec.name} "
            f"({spec.params_b} B), the known dense model nearest in size")
    return Model(spec, params, params), [note]


def estimate(workload: Workload) -> Estimate:
    """Estimate `workload` (see `Workload`); MathInputError names any input it cannot use."""
    hw, notes = hardware_for(workload)
    model, model_notes = resolve_model(workload)
    split, split_notes = split_for(workload, hw, model.spec.kv_heads)
    if workload.mode == "throughput":
        memory, speeds = _at_load(workload, model, hw, split)
    else:
        memory = memory_breakdown(workload, model.spec, model.params, workload.gpu_count)
        speeds = _speeds(workload, model, hw, split)
    rate = speeds["train"] if workload.is_training else speeds["throughput"]
    hours = _hours(workload.tokens, rate)
    return Estimate(
        workload=workload, model_name=model.spec.name if workload.model else "custom",
        params_b=model.params / 1e9, hardware=hw, memory=memory,
        fits=memory.per_gpu_gb <= hw.memory_gb and speeds.get("capacity") != 0,
        min_gpus=min_gpus(workload, model, hw.memory_gb),
        decode_tokens_per_s=speeds["decode"], prefill_tokens_per_s=speeds["prefill"],
        throughput_tokens_per_s=speeds["throughput"], train_tokens_per_s=speeds["train"],
        parallelism=split.kind, batch_used=_int(speeds.get("batch")),
        time_to_first_token_s=speeds.get("ttft"),
        per_user_tokens_per_s=speeds.get("per_user"),
        time_hours=hours, usd_per_million_tokens=_usd_per_million(workload, rate),
        usd_to_finish=_usd_to_finish(workload, hours),
        efficiency=_factors(hw, workload),
        assumptions=_assumptions(workload, notes + model_notes + split_notes
                                 + _runtime_notes(workload, hw, split)),
    )


def min_gpus(workload: Workload, model: Model, gpu_memory_gb: float) -> int | None:
    """Fewest GPUs (a power of two, tensor-parallel friendly) whose memory holds the job;
    None when even MAX_GPUS do not."""
    count = 1
    if workload.mode == "throughput":    # weights plus one sequence's KV cache
        workload = replace(workload, batch=1, mode="latency")
    while count <= MAX_GPUS:
        memory = memory_breakdown(workload, model.spec, model.params, count)
        if memory.per_gpu_gb <= gpu_memory_gb:
            return count
        count *= 2
    return None


def _speeds(workload: Workload, model: Model, hw: Hardware,
            split: Split) -> dict[str, float | None]:
    gpus = workload.gpu_count
    if workload.is_training:
        return {"decode": None, "prefill": None, "throughput": None,
                "train": train_tokens_per_s(workload, model, hw, gpus)}
    batch = workload.batch
    step = decode_step_s(workload, model, hw, split, batch)
    first = prefill_s(workload, model, hw, split, batch)
    request_s = first + workload.output_tokens * step
    throughput = batch * workload.output_tokens / request_s
    return {"decode": 1 / step, "prefill": batch * workload.input_tokens / first,
            "throughput": throughput, "train": None, "batch": batch,
            "ttft": first + step, "per_user": 1 / step}


def _at_load(workload: Workload, model: Model, hw: Hardware,
             split: Split) -> tuple[MemoryBreakdown, dict[str, float | None]]:
    capacity = kv_capacity(workload, model, hw, workload.gpu_count)
    batch = batch_to_run(workload, capacity)
    load = serve(workload, model, hw, split, batch, capacity)
    memory = serving_memory(workload, model, workload.gpu_count, batch)
    return memory, {"decode": 1 / load.step_s,
                    "prefill": workload.input_tokens / load.prefill_s,
                    "throughput": load.throughput_tokens_per_s, "train": None,
                    "batch": batch, "capacity": capacity,
                    "ttft": load.time_to_first_token_s,
                    "per_user": load.per_user_tokens_per_s}


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def _hours(tokens: float | None, rate: float | None) -> float | None:
    if tokens is None or rate is None:
        return None
    return tokens / rate / kpis.SECONDS_PER_HOUR


def _usd_per_million(workload: Workload, rate: float | None) -> float | None:
    if workload.price_per_hour is None or rate is None:
        return None
    return kpis.usd_per_million_tokens(workload.price_per_hour, rate)


def _usd_to_finish(workload: Workload, hours: float | None) -> float | None:
    if workload.price_per_hour is None or hours is None:
        return None
    return kpis.usd_to_finish(workload.price_per_hour, hours)


def _factors(hw: Hardware, workload: Workload) -> dict[str, float]:
    fraction = bandwidth_fraction(hw.dequantizes)
    if _llamacpp_latency_decode(workload, hw):
        fraction = round(llamacpp_quantized_bw_gbs(hw.mem_bw_gbs) / hw.mem_bw_gbs, 3)
    factors = {"mfu": round(matmul_efficiency(hw.peak_tflops, hw.mem_bw_gbs), 3),
               "bandwidth_fraction": fraction,
               "peak_tflops": hw.peak_tflops, "mem_bw_gbs": hw.mem_bw_gbs}
    if workload.mode == "throughput":
        factors["serve_bandwidth_fraction"] = SERVE_BANDWIDTH_FRACTION
        factors["serve_compute_fraction"] = SERVE_COMPUTE_FRACTION
    return factors


def _llamacpp_latency_decode(workload: Workload, hw: Hardware) -> bool:
    """Whether the decode steps are llama.cpp's quantized ones (latency mode; serving at load
    keeps its own fractions)."""
    return workload.mode == "latency" and runs_llamacpp_quantized(workload, hw)


def _runtime_notes(workload: Workload, hw: Hardware, split: Split) -> list[str]:
    if workload.is_training or workload.runtime is None:
        return []
    notes = [f"runtime {workload.runtime}: forward steps run as CUDA graphs (or a "
             "compiled engine), no launch time added"]
    if launches_kernels(workload.runtime, split.kind):
        notes = [f"runtime {workload.runtime}: kernels launched one by one (no CUDA graph "
                 f"under a {split.kind} split), {KERNEL_LAUNCH_PER_LAYER_S * 1e6:.0f} us "
                 "per layer added to every forward step"]
    if _llamacpp_latency_decode(workload, hw):
        notes.append(f"runtime {workload.runtime} on quantized weights: its kernels stream "
                     f"at {llamacpp_quantized_bw_gbs(hw.mem_bw_gbs):.0f} GB/s "
                     f"({LLAMACPP_QUANTIZED_BANDWIDTH_FRACTION} of the datasheet, at most "
                     f"{LLAMACPP_QUANTIZED_CEILING_GBS:.0f}) plus "
                     f"{LLAMACPP_QUANTIZED_PER_LAYER_S * 1e6:.0f} us per layer per decode step")
    return notes


def _assumptions(workload: Workload, notes: list[str]) -> tuple[str, ...]:
    fixed: tuple[str, ...]
    if workload.is_training:
        fixed = _TRAINING
    else:
        fixed = _THROUGHPUT if workload.mode == "throughput" else _LATENCY
    return (*_BASE_ASSUMPTIONS, *fixed, *notes)
