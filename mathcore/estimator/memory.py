"""GPU memory a workload needs, by part, in GB (10^9 bytes), summed over all GPUs.

weights      parameters x bytes per parameter (QLoRA: 4-bit NF4 + its constants).
kv_cache     2 (K and V) x layers x kv_heads x head_dim x bytes x tokens x batch.
optimizer    training state: gradients plus Adam moments (and fp32 master weights under
             mixed precision): 16 bytes per trained parameter in all, of which 2 are the
             weights themselves (Rajbhandari et al. 2020, ZeRO, https://arxiv.org/abs/1910.02054,
             section 3.1: 2+2+12 bytes per parameter); fp32 training needs 4+4+8.
activations  inference: one prefill pass's largest live tensors (MLP input/outputs) for
             the batch; training: activation checkpointing kept per layer (2 bytes x
             sequence x batch x hidden per layer) plus one layer's full activations,
             34 x sequence x batch x hidden bytes (Korthikanti et al. 2022,
             https://arxiv.org/abs/2205.05198, eq. 1, with flash attention dropping the
             attention-score term).
overhead     CUDA context and libraries per GPU: PyTorch's context alone shows 781 MB in
             nvidia-smi (https://github.com/pytorch/pytorch/issues/34323); 0.8 GB per GPU.
"""

from __future__ import annotations

from dataclasses import dataclass

from mathcore.estimator.workload import BYTES_PER_PARAM, Workload
from mathcore.llm_models import ModelSpec

GB = 1e9
CONTEXT_OVERHEAD_GB_PER_GPU = 0.8
# QLoRA NF4 with double quantization: 4 bits + 0.127 bits of constants per parameter
# (Dettmers et al. 2023, https://arxiv.org/abs/2305.14314, section 3).
QLORA_BITS_PER_PARAM = 4.127
ADAM_MIXED_BYTES_PER_PARAM = 14.0   # 2 gradient + 4 master + 4 m + 4 v
ADAM_FP32_BYTES_PER_PARAM = 12.0    # 4 gradient + 4 m + 4 v
TRAIN_CHECKPOINT_BYTES = 2.0        # one 16-bit hidden state per token per layer
TRAIN_LAYER_BYTES = 34.0            # Korthikanti et al. 2022, per token per hidden unit
KV_BYTES = {"fp32": 4.0, "fp8": 1.0, "fp4": 1.0}  # fp4 checkpoints keep an FP8 KV cache;
# the others keep a 16-bit one


@dataclass(frozen=True)
class MemoryBreakdown:
    """GB over all GPUs of the workload; `per_gpu_gb` is what each GPU must hold."""

    weights: float
    kv_cache: float
    optimizer: float
    activations: float
    overhead: float
    gpu_count: int

    @property
    def total(self) -> float:
        return self.weights + self.kv_cache + self.optimizer + self.activations + self.overhead

    @property
    def per_gpu_gb(self) -> float:
        return self.total / self.gpu_count

    def as_dict(self) -> dict[str, float]:
        parts = ("weights", "kv_cache", "optimizer", "activations", "overhead", "total")
        return {name: round(getattr(self, name), 3) for name in parts}


def memory_breakdown(workload: Workload, spec: ModelSpec, params: float,
                     gpu_count: int) -> MemoryBreakdown:
    """Memory of `workload` for a model of `params` parameters shaped like `spec` on
    `gpu_count` GPUs. Weights, optimizer state and KV cache are split over the GPUs
    (tensor or fully-sharded parallel); a training micro-batch's activations are per GPU
    (data parallel), so their total grows with the GPU count."""
    return MemoryBreakdown(
        weights=weights_gb(workload, params),
        kv_cache=0.0 if workload.is_training else kv_cache_gb(workload, spec),
        optimizer=optimizer_gb(workload, spec, params),
        activations=activations_gb(workload, spec) * (gpu_count if workload.is_training
                                                      else 1),
        overhead=CONTEXT_OVERHEAD_GB_PER_GPU * gpu_count,
        gpu_count=gpu_count,
    )


def weights_gb(workload: Workload, params: float) -> float:
    if workload.method == "qlora":
        return params * QLORA_BITS_PER_PARAM / 8 / GB
    return params * BYTES_PER_PARAM[workload.precision] / GB


def kv_bytes_per_element(precision: str) -> float:
    return KV_BYTES.get(precision, 2.0)


def kv_cache_gb(workload: Workload, spec: ModelSpec) -> float:
    per_token = spec.kv_elements_per_token * kv_bytes_per_element(workload.precision)
    return per_token * workload.sequence_tokens * workload.batch / GB


def trainable_params(workload: Workload, spec: ModelSpec, params: float) -> float:
    """Parameters the optimizer updates: all of them, or the LoRA adapters."""
    if workload.method == "full":
        return params
    return lora_params(spec, workload.lora_rank)


def lora_params(spec: ModelSpec, rank: int) -> float:
    """Adapter parameters: r x (d_in + d_out) for every attention and MLP projection
    (q, k, v, o, gate, up, down) of every layer (Hu et al. 2021, https://arxiv.org/abs/2106.09685;
    all-linear targets as in QLoRA, Dettmers et al. 2023)."""
    h, q = spec.hidden_size, spec.attention_heads * spec.head_dim
    kv = spec.kv_heads * spec.head_dim
    attention = 2 * (h + q) + 2 * (h + kv)            # q and o; k and v
    mlp = 3 * (h + spec.intermediate_size) * spec.experts  # gate, up, down per expert
    return float(rank * (attention + mlp) * spec.layers)


def optimizer_gb(workload: Workload, spec: ModelSpec, params: float) -> float:
    if not workload.is_training:
        return 0.0
    trained = trainable_params(workload, spec, params)
    if workload.precision == "fp32":
        return trained * ADAM_FP32_BYTES_PER_PARAM / GB
    adapters = 0.0 if workload.method == "full" else trained * 2.0  # adapter weights, 16-bit
    return (trained * ADAM_MIXED_BYTES_PER_PARAM + adapters) / GB


def activations_gb(workload: Workload, spec: ModelSpec) -> float:
    tokens = workload.batch * workload.sequence_tokens
    if workload.is_training:
        per_layer = TRAIN_CHECKPOINT_BYTES * spec.layers + TRAIN_LAYER_BYTES
        return tokens * spec.hidden_size * per_layer / GB
    prefill_tokens = workload.batch * workload.input_tokens
    widest = 2 * spec.intermediate_size + 2 * spec.hidden_size   # gate+up out, in+residual
    return prefill_tokens * widest * 2.0 / GB
