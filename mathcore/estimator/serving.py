"""Serving at load: the batch a continuous-batching server runs, and its speeds.

batch_used   as many sequences as the KV cache holds after the weights, one prompt's
             activations and the per-GPU runtime overhead, at KV_MEMORY_FRACTION of the
             memory left (TensorRT-LLM's kv_cache_free_gpu_mem_fraction and vLLM's
             gpu_memory_utilization both default to 0.9), each sequence reserving its full
             prompt + output; capped by `concurrency` when given and by `max_batch`.
cycle        the time for batch_used requests to be served from prompt to last token:
             batch_used prompts, compute-bound, plus output_tokens decode steps at
             batch_used (memory-bound while the weight stream dominates, compute-bound
             once the batch's FLOPs do), split over the GPUs (mathcore.estimator.parallel).
throughput   output tokens/s over all GPUs = batch_used x output_tokens / cycle.
per user     throughput / batch_used: what one user sees while other prompts interleave.
TTFT         one prompt on the GPUs that can work on it, plus the decode step it waits for.

The scheduler's achieved fractions at load (SERVE_BANDWIDTH_FRACTION, SERVE_COMPUTE_FRACTION)
are fitted on published serving runs (see docs/ESTIMATOR.md), not taken from batch-1 decode.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from mathcore.estimator.efficiency import (
    KV_MEMORY_FRACTION,
    QUANTIZED_BANDWIDTH_FRACTION,
    SERVE_BANDWIDTH_FRACTION,
    SERVE_COMPUTE_FRACTION,
    SERVE_FP4_COMPUTE_FRACTION,
    SERVE_SHARPNESS,
)
from mathcore.estimator.hardware import Hardware
from mathcore.estimator.memory import (
    MemoryBreakdown,
    activations_gb,
    kv_cache_gb,
    memory_breakdown,
)
from mathcore.estimator.parallel import Split, communication_s, prefill_compute_gpus
from mathcore.estimator.roofline import Model, prefill_flops, split_step_s
from mathcore.estimator.workload import Workload


@dataclass(frozen=True)
class Load:
    """A server at `batch_used` concurrent sequences; seconds and tokens/s."""

    batch_used: int
    kv_capacity: int
    step_s: float
    prefill_s: float
    throughput_tokens_per_s: float
    time_to_first_token_s: float

    @property
    def per_user_tokens_per_s(self) -> float:
        return self.throughput_tokens_per_s / self.batch_used


def serving_memory(workload: Workload, model: Model, gpus: int,
                   batch: int) -> MemoryBreakdown:
    """Memory at `batch` sequences in flight: their KV cache, one prompt's activations
    (prompts are prefilled one at a time or in chunks, not all together)."""
    full = memory_breakdown(replace(workload, batch=batch), model.spec, model.params, gpus)
    one = activations_gb(replace(workload, batch=1), model.spec)
    return replace(full, activations=one)


def kv_capacity(workload: Workload, model: Model, hw: Hardware, gpus: int) -> int:
    """Sequences (prompt + output each) whose KV cache fits next to the weights."""
    base = serving_memory(workload, model, gpus, 1)
    free_gb = gpus * hw.memory_gb - (base.total - base.kv_cache)
    per_sequence = kv_cache_gb(replace(workload, batch=1), model.spec)
    if free_gb <= 0:
        return 0
    return math.floor(KV_MEMORY_FRACTION * free_gb / per_sequence)


def batch_to_run(workload: Workload, capacity: int) -> int:
    """The batch a continuous-batching server runs (at least 1, even when nothing fits)."""
    batch = min(capacity, workload.max_batch)
    if workload.concurrency is not None:
        batch = min(batch, workload.concurrency)
    return max(1, batch)


def serve(workload: Workload, model: Model, hw: Hardware, split: Split,
          batch: int, capacity: int) -> Load:
    """Speeds of a server running `batch` sequences at once."""
    fraction = QUANTIZED_BANDWIDTH_FRACTION if hw.dequantizes else SERVE_BANDWIDTH_FRACTION
    bandwidth = hw.mem_bw_gbs * 1e9 * fraction
    compute = serving_compute(hw)
    step = split_step_s(workload, model, split, batch, bandwidth, compute, SERVE_SHARPNESS)
    one_prompt = prefill_flops(model, workload.input_tokens)
    prompts_s = batch * one_prompt / (prefill_compute_gpus(split, batch) * compute)
    cycle = prompts_s + workload.output_tokens * step
    alone = 1 if split.kind == "pipeline" else split.gpus
    ttft = one_prompt / (alone * compute) + step + communication_s(
        split, model.spec.layers, workload.input_tokens, model.spec.hidden_size)
    return Load(batch, capacity, step, prompts_s / batch,
                batch * workload.output_tokens / cycle, ttft)


def serving_compute(hw: Hardware) -> float:
    """FLOP/s one GPU reaches on a server's batched steps and prompts (FP4 kernels
    have their own fraction of the FP4 peak)."""
    fraction = SERVE_FP4_COMPUTE_FRACTION if hw.peak_figure == "fp4_tflops" else \
        SERVE_COMPUTE_FRACTION
    return hw.peak_tflops * 1e12 * fraction
