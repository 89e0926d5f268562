"""Roofline timing of LLM work: memory-bound decode, compute-bound prefill and training.

decode step   max(bytes read / (bandwidth x bandwidth fraction),
                  FLOPs / (peak x MFU)) + tensor-parallel all-reduce latency.
              Bytes: every weight touched once per step (shared by the whole batch; the
              input embedding is only looked up) plus each sequence's KV cache.
              FLOPs: 2 x active params per token + attention 4 x layers x q_dim x context.
prefill       max(FLOPs / (peak x MFU), one pass over the weights) + all-reduce latency;
              FLOPs 2 x active params per token + causal attention 2 x layers x q_dim x T^2.
training      tokens/s = GPUs x peak x MFU / FLOPs per token, FLOPs per token =
              6 x active params (forward 2, backward 4) + 12 x layers x q_dim x T
              (PaLM's model-FLOPs convention, Chowdhery et al. 2022, https://arxiv.org/abs/2204.02311,
              appendix B; the one MFU figures are published in). LoRA/QLoRA freeze the base:
              no weight gradients, so 4 x params (forward 2, activation gradients 2)
              plus 6 x adapter params. QLoRA's dequantization cost is not modelled.
Multi-GPU     inference: tensor parallel, weights/KV/FLOPs split over the GPUs, plus two
              all-reduces per layer per pass; training: data/fully-sharded parallel,
              each GPU at the same MFU (the published MFUs were measured on 8-16k GPUs).
"""

from __future__ import annotations

from dataclasses import dataclass

from mathcore.estimator.efficiency import matmul_efficiency, tensor_parallel_overhead_s
from mathcore.estimator.hardware import Hardware
from mathcore.estimator.memory import kv_bytes_per_element, lora_params
from mathcore.estimator.workload import BYTES_PER_PARAM, Workload
from mathcore.llm_models import ModelSpec


@dataclass(frozen=True)
class Model:
    """The model being run: its shape, and its parameter counts (units, not billions)."""

    spec: ModelSpec
    params: float
    active_params: float

    @property
    def q_dim(self) -> int:
        return self.spec.attention_heads * self.spec.head_dim


def decode_step_s(workload: Workload, model: Model, hw: Hardware, gpus: int) -> float:
    """Seconds per decoding step of the whole batch (one new token per sequence)."""
    context = _mean_decode_context(workload)
    batch = workload.batch
    read = _weight_bytes_read(workload, model, batch)
    read += batch * context * model.spec.kv_elements_per_token * kv_bytes_per_element(
        workload.precision)
    memory_s = read / gpus / (hw.achieved_bw_gbs * 1e9)
    flops = batch * (2 * model.active_params + 4 * model.spec.layers * model.q_dim * context)
    compute_s = flops / gpus / _achieved_flops(hw)
    return max(memory_s, compute_s) + tensor_parallel_overhead_s(model.spec.layers, gpus)


def prefill_s(workload: Workload, model: Model, hw: Hardware, gpus: int) -> float:
    """Seconds to process the prompts of the whole batch (time to first token)."""
    tokens = workload.input_tokens
    attention = 2 * model.spec.layers * model.q_dim * tokens * tokens
    flops = workload.batch * (2 * model.active_params * tokens + attention)
    compute_s = flops / gpus / _achieved_flops(hw)
    weights_s = _weight_bytes_read(workload, model, workload.batch * tokens) / gpus / (
        hw.achieved_bw_gbs * 1e9)
    return max(compute_s, weights_s) + tensor_parallel_overhead_s(model.spec.layers, gpus)


def train_flops_per_token(workload: Workload, model: Model) -> float:
    """Model FLOPs per trained token (PaLM convention; see module docstring)."""
    attention = 12 * model.spec.layers * model.q_dim * workload.sequence_tokens
    if workload.method == "full":
        return 6 * model.active_params + attention
    adapters = lora_params(model.spec, workload.lora_rank)
    return 4 * model.active_params + 6 * adapters + attention


def train_tokens_per_s(workload: Workload, model: Model, hw: Hardware, gpus: int) -> float:
    """Tokens per second trained by all `gpus` together."""
    return gpus * _achieved_flops(hw) / train_flops_per_token(workload, model)


def _achieved_flops(hw: Hardware) -> float:
    return hw.peak_tflops * 1e12 * matmul_efficiency(hw.peak_tflops, hw.mem_bw_gbs)


def _mean_decode_context(workload: Workload) -> float:
    """Mean KV length read while generating: the prompt plus half the output."""
    return max(1.0, workload.sequence_tokens - workload.output_tokens / 2)


def _weight_bytes_read(workload: Workload, model: Model, tokens_in_step: int) -> float:
    """Bytes of weights one forward step reads for `tokens_in_step` tokens together."""
    spec = model.spec
    lookup_only = 0 if spec.tied_embeddings else spec.embedding_params
    params = model.active_params
    if spec.experts > 1:
        params = _moe_params_touched(model, tokens_in_step)
    return (params - lookup_only) * BYTES_PER_PARAM[workload.precision]


def _moe_params_touched(model: Model, tokens: int) -> float:
    """Shared weights plus the experts a step's tokens reach (uniform top-k routing)."""
    spec = model.spec
    experts = 3 * spec.hidden_size * spec.intermediate_size * spec.experts * spec.layers
    reached = 1 - (1 - spec.experts_per_token / spec.experts) ** tokens
    return model.params - experts + experts * reached
