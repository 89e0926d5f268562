"""Roofline timing of LLM work: memory-bound decode, compute-bound prefill and training.

decode step   max(bytes read / (bandwidth x bandwidth fraction),
                  FLOPs / (peak x MFU)) + tensor-parallel all-reduce latency
              + kernel launch time per layer for runtimes without CUDA graphs.
              llama.cpp on quantized weights: its kernels' own bandwidth (a fraction of
              the datasheet, capped at a ceiling) plus a fixed time per layer.
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
              plus 6 x adapter params; QLoRA adds dequantizing the 4-bit base in every
              pass (bandwidth-bound). FP8 reaches FP8_TRAINING_SPEEDUP x the 16-bit rate.
Multi-GPU     inference: tensor or pipeline parallel (mathcore.estimator.parallel);
              training: data/fully-sharded parallel, each GPU at the same MFU (the
              published MFUs were measured on 8-16k GPUs).
"""

from __future__ import annotations

from dataclasses import dataclass

from mathcore.estimator.efficiency import (
    FP8_TRAINING_SPEEDUP,
    LLAMACPP_QUANTIZED_BANDWIDTH_FRACTION,
    LLAMACPP_QUANTIZED_CEILING_GBS,
    LLAMACPP_QUANTIZED_PER_LAYER_S,
    MFU_CEILING,
    QLORA_DEQUANT_PASSES,
    QUANTIZED_BANDWIDTH_FRACTION,
    llamacpp_quantized_bw_gbs,
    matmul_efficiency,
)
from mathcore.estimator.hardware import Hardware
from mathcore.estimator.memory import QLORA_BITS_PER_PARAM, kv_bytes_per_element, lora_params
from mathcore.estimator.parallel import (
    Split,
    communication_s,
    launch_overhead_s,
    prefill_compute_gpus,
    step_s,
)
from mathcore.estimator.workload import BYTES_PER_PARAM, LLAMACPP_RUNTIMES, Workload
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


def decode_step_s(workload: Workload, model: Model, hw: Hardware, split: Split,
                  batch: int) -> float:
    """Seconds per decoding step of `batch` sequences (one new token each), latency mode:
    decode kernels' bandwidth fraction, the chip's matmul efficiency (llama.cpp on
    quantized weights: `llamacpp_quantized_step_s`)."""
    if runs_llamacpp_quantized(workload, hw):
        return llamacpp_quantized_step_s(workload, model, hw, split, batch)
    return split_step_s(workload, model, split, batch, hw.achieved_bw_gbs * 1e9,
                        achieved_flops(hw))


def runs_llamacpp_quantized(workload: Workload, hw: Hardware) -> bool:
    """Whether llama.cpp (either build) decodes dequantized weights (int8/int4, or 8/4-bit
    weights on a chip without those units) with its own matrix-vector kernels."""
    return workload.runtime in LLAMACPP_RUNTIMES and hw.dequantizes


def llamacpp_quantized_step_s(workload: Workload, model: Model, hw: Hardware, split: Split,
                              batch: int, *,
                              fraction: float = LLAMACPP_QUANTIZED_BANDWIDTH_FRACTION,
                              ceiling_gbs: float = LLAMACPP_QUANTIZED_CEILING_GBS,
                              per_layer_s: float = LLAMACPP_QUANTIZED_PER_LAYER_S) -> float:
    """One llama.cpp decode step on quantized weights: weights streamed at
    min(fraction x datasheet, ceiling_gbs) plus per_layer_s per layer (the factors'
    keywords let calibration refit them)."""
    bandwidth = llamacpp_quantized_bw_gbs(hw.mem_bw_gbs, fraction, ceiling_gbs) * 1e9
    return split_step_s(workload, model, split, batch, bandwidth, achieved_flops(hw)) + \
        model.spec.layers * per_layer_s


def split_step_s(workload: Workload, model: Model, split: Split, batch: int,
                 bandwidth: float, compute: float, sharpness: float | None = None) -> float:
    """One decode step of `batch` sequences at one GPU's achieved bandwidth (bytes/s)
    and compute (FLOP/s), split over the GPUs as `split` says."""
    context = mean_decode_context(workload)
    weights = weight_bytes_read(workload, model, batch)
    kv = batch * context * model.spec.kv_elements_per_token * kv_bytes_per_element(
        workload.precision)
    return step_s(split, weights, kv, decode_flops(model, batch, context), batch,
                  bandwidth, compute, (model.spec.layers, model.spec.hidden_size),
                  sharpness) + launch_overhead_s(workload.runtime, split.kind,
                                                 model.spec.layers)


def decode_flops(model: Model, batch: int, context: float) -> float:
    """FLOPs of one decode step: 2 x active params + attention 4 x layers x q_dim x context."""
    return batch * (2 * model.active_params + 4 * model.spec.layers * model.q_dim * context)


def prefill_flops(model: Model, tokens: int) -> float:
    """FLOPs of one prompt: 2 x active params per token + causal attention."""
    return 2 * model.active_params * tokens + 2 * model.spec.layers * model.q_dim * tokens ** 2


def prefill_s(workload: Workload, model: Model, hw: Hardware, split: Split,
              batch: int) -> float:
    """Seconds to process the prompts of `batch` sequences together (time to first token)."""
    gpus = prefill_compute_gpus(split, batch)
    compute_s = batch * prefill_flops(model, workload.input_tokens) / gpus / achieved_flops(hw)
    weights_s = weight_bytes_read(workload, model, batch * workload.input_tokens) / (
        split.gpus * hw.achieved_bw_gbs * 1e9)
    return max(compute_s, weights_s) + communication_s(
        split, model.spec.layers, batch * workload.input_tokens, model.spec.hidden_size
    ) + launch_overhead_s(workload.runtime, split.kind, model.spec.layers)


def train_flops_per_token(workload: Workload, model: Model) -> float:
    """Model FLOPs per trained token (PaLM convention; see module docstring)."""
    attention = 12 * model.spec.layers * model.q_dim * workload.sequence_tokens
    if workload.method == "full":
        return 6 * model.active_params + attention
    adapters = lora_params(model.spec, workload.lora_rank)
    return 4 * model.active_params + 6 * adapters + attention


def train_tokens_per_s(workload: Workload, model: Model, hw: Hardware, gpus: int) -> float:
    """Tokens per second trained by all `gpus` together (QLoRA's dequantization included)."""
    compute_s = train_flops_per_token(workload, model) / train_flops(workload, hw)
    return gpus / (compute_s + qlora_dequant_s_per_token(workload, model, hw))


def train_flops(workload: Workload, hw: Hardware) -> float:
    """FLOP/s one GPU reaches training. FP8 runs mix FP8 matmuls with 16-bit attention,
    norms and optimizer work, so they reach FP8_TRAINING_SPEEDUP x the 16-bit rate
    (fitted on NeMo's published FP8 runs), not 2x; never more than the FP8 peak at MFU_CEILING."""
    if workload.precision == "fp8" and hw.peak_figure == "fp8_tflops" and \
            hw.sixteen_bit_tflops is not None:
        sixteen = hw.sixteen_bit_tflops * 1e12 * matmul_efficiency(hw.sixteen_bit_tflops,
                                                                   hw.mem_bw_gbs)
        return min(sixteen * FP8_TRAINING_SPEEDUP, hw.peak_tflops * 1e12 * MFU_CEILING)
    return achieved_flops(hw)


def qlora_dequant_s_per_token(workload: Workload, model: Model, hw: Hardware) -> float:
    """QLoRA dequantizes every 4-bit NF4 weight to 16 bits in each pass over the frozen
    base (forward, the recomputed forward of activation checkpointing, backward):
    read 4.127 bits and write 2 bytes per parameter per pass, at the bandwidth weights
    stream in decode, shared by the micro-batch's tokens."""
    if workload.method != "qlora":
        return 0.0
    bytes_per_pass = model.params * (QLORA_BITS_PER_PARAM / 8 + 2.0)
    seconds = QLORA_DEQUANT_PASSES * bytes_per_pass / (hw.mem_bw_gbs * 1e9 *
                                                       QUANTIZED_BANDWIDTH_FRACTION)
    return seconds / (workload.batch * workload.sequence_tokens)


def achieved_flops(hw: Hardware) -> float:
    """FLOP/s one GPU reaches on matmul-bound work (peak x matmul efficiency)."""
    return hw.peak_tflops * 1e12 * matmul_efficiency(hw.peak_tflops, hw.mem_bw_gbs)


def mean_decode_context(workload: Workload) -> float:
    """Mean KV length read while generating: the prompt plus half the output."""
    return max(1.0, workload.sequence_tokens - workload.output_tokens / 2)


def weight_bytes_read(workload: Workload, model: Model, tokens_in_step: int) -> float:
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
