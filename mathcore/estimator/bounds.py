"""Plain roofline: what datasheet peaks alone allow, with no efficiency factor.

For a batch of b sequences on n GPUs (peak FLOP/s P and bandwidth B per GPU):
  bandwidth roofline   b x n x B / (weights read per step + KV read per step)
                       output tokens/s: every step must stream the weights and the KV;
  compute roofline     n x P / FLOPs per output token, prefill of its prompt included;
  decode (per user)    1 / max(step bytes / (n x B), step FLOPs / (n x P));
  prefill              b x prompt tokens / max(prompt FLOPs / (n x P), weights / (n x B));
  training             n x P / training FLOPs per token (the estimator's count).
No communication, no scheduler, no kernel losses: a real run can only be slower, so the
estimator must never exceed it (tests) and is scored against it (docs/ESTIMATOR.md).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from mathcore.estimator.memory import kv_bytes_per_element
from mathcore.estimator.roofline import (
    Model,
    decode_flops,
    mean_decode_context,
    prefill_flops,
    train_flops_per_token,
    weight_bytes_read,
)
from mathcore.estimator.workload import Workload

if TYPE_CHECKING:
    from mathcore.estimator.estimate import Estimate


def throughput_rooflines(workload: Workload, model: Model, peak_flops: float,
                         bandwidth: float, batch: int) -> tuple[float, float]:
    """(compute, bandwidth) rooflines of output tokens/s over all GPUs at `batch`."""
    n, out = workload.gpu_count, workload.output_tokens
    context = mean_decode_context(workload)
    per_output = decode_flops(model, 1, context) + prefill_flops(
        model, workload.input_tokens) / out
    step_bytes = weight_bytes_read(workload, model, batch) + batch * context * \
        model.spec.kv_elements_per_token * kv_bytes_per_element(workload.precision)
    return n * peak_flops / per_output, batch * n * bandwidth / step_bytes


def plain_roofline(workload: Workload, result: Estimate, metric: str) -> float | None:
    """The datasheet-only value of `metric` (an Estimate field name) for `workload`."""
    from mathcore.estimator.estimate import resolve_model

    model, _ = resolve_model(workload)
    peak = result.hardware.peak_tflops * 1e12
    bandwidth = result.hardware.mem_bw_gbs * 1e9
    n = workload.gpu_count
    if metric == "train_tokens_per_s":
        return n * peak / train_flops_per_token(workload, model)
    if metric == "train_tflops_per_gpu":
        return peak / 1e12
    batch = result.batch_used or workload.batch
    if metric == "throughput_tokens_per_s":
        return min(throughput_rooflines(workload, model, peak, bandwidth, batch))
    if metric == "prefill_tokens_per_s":
        flops = batch * prefill_flops(model, workload.input_tokens)
        weights = weight_bytes_read(workload, model, batch * workload.input_tokens)
        return batch * workload.input_tokens / max(flops / (n * peak),
                                                   weights / (n * bandwidth))
    if metric == "decode_tokens_per_s":
        one = replace(workload, batch=batch)
        context = mean_decode_context(one)
        step_bytes = weight_bytes_read(one, model, batch) + batch * context * \
            model.spec.kv_elements_per_token * kv_bytes_per_element(one.precision)
        step = max(step_bytes / (n * bandwidth), decode_flops(model, batch, context) / (n * peak))
        return 1 / step
    return None
