"""How gpu_count GPUs share one model for inference, and what the split costs per step.

tensor    every layer split over the n GPUs (Megatron-LM, Shoeybi et al. 2019,
          https://arxiv.org/abs/1909.08053): weights, KV cache and FLOPs of a step divided
          by n, plus two all-reduces per layer per step. An all-reduce's latency floor
          grows with the GPU count (a ring has 2 (n - 1) hops) and is larger over PCIe.
pipeline  consecutive layers on each GPU (llama.cpp's default layer split, vLLM and
          TensorRT-LLM pipeline parallel). A token still passes every layer in turn, so
          one sequence is never faster than on one GPU holding the whole model; with
          m = min(stages, batch) micro-batches in flight the stages work at once:
          cycle = max((weights + KV / m) / bandwidth, FLOPs / (m x compute)) of one GPU,
          plus one activation hop per stage boundary.

launch    a runtime that launches each kernel from the host (no CUDA graph) pays a fixed
          time per layer per forward step on top of the roofline: the GPU waits for the
          CPU between its small decode kernels (KERNEL_LAUNCH_PER_LAYER_S, fitted on
          llama.cpp's published graph on/off pairs). llama.cpp captures its steps in
          graphs since May 2024 (#6766), except under row split: split weight buffers
          turn capture off (ggml-cuda's graph_compute), so row split launches per kernel.

`split_for` picks the default: tensor on NVLink/NVSwitch or Infinity Fabric parts,
pipeline elsewhere (PCIe cards, consumer GPUs), and notes the choice. Tensor parallel
splits attention heads, so it needs the KV-head count to be a multiple of the GPU count
(vLLM and TensorRT-LLM refuse other sizes); otherwise the default is pipeline, noted.
An explicit `tensor` is kept (llama.cpp's row split has no such rule), with a note.
"""

from __future__ import annotations

from dataclasses import dataclass

from mathcore.estimator.efficiency import (
    ALLREDUCE_LATENCY_PCIE_PER_EXTRA_GPU_S,
    ALLREDUCE_LATENCY_PCIE_S,
    ALLREDUCE_LATENCY_PER_EXTRA_GPU_S,
    ALLREDUCE_LATENCY_S,
    ALLREDUCES_PER_LAYER,
    KERNEL_LAUNCH_PER_LAYER_S,
    PIPELINE_HOP_S,
)
from mathcore.estimator.hardware import Hardware
from mathcore.estimator.workload import Workload

ACTIVATION_BYTES = 2.0   # 16-bit activations cross the link


@dataclass(frozen=True)
class Split:
    """kind: "single", "tensor", "pipeline" or "data" (training); gpus: how many."""

    kind: str
    gpus: int
    fast_link: bool
    link_gbs: float | None = None


def split_for(workload: Workload, hw: Hardware,
              kv_heads: int) -> tuple[Split, list[str]]:
    """The parallelism `workload` runs with on `hw`, and a note when it was chosen here."""
    gpus, link_gbs = workload.gpu_count, hw.link_gbs
    if gpus == 1 or workload.is_training:     # training: data / fully-sharded parallel
        return Split("single" if gpus == 1 else "data", gpus, hw.fast_link, link_gbs), []
    divisible = kv_heads % gpus == 0 or gpus % kv_heads == 0
    if workload.parallelism == "tensor" and not divisible:
        return Split("tensor", gpus, hw.fast_link, link_gbs), [
            f"parallelism: tensor over {gpus} GPUs although the {kv_heads} KV heads do "
            "not split evenly (vLLM and TensorRT-LLM refuse this; llama.cpp's row split "
            "does not)"]
    if workload.parallelism is not None:
        return Split(workload.parallelism, gpus, hw.fast_link, link_gbs), []
    if hw.fast_link and not divisible:
        return Split("pipeline", gpus, True, link_gbs), [
            f"parallelism: pipeline over {gpus} GPUs: {kv_heads} KV heads do not split "
            f"evenly over {gpus} for tensor parallel"]
    if hw.fast_link:
        return Split("tensor", gpus, True, link_gbs), [
            f"parallelism: tensor over {gpus} GPUs ({hw.interconnect})"]
    link = hw.interconnect or "no NVLink/Infinity Fabric in the datasheet"
    return Split("pipeline", gpus, False, link_gbs), [
        f"parallelism: pipeline (layer split) over {gpus} GPUs: no fast link ({link}); "
        "one sequence decodes no faster than on one GPU"]


def allreduce_latency_s(split: Split) -> float:
    """Latency floor of one all-reduce among the split's GPUs."""
    if not split.fast_link:
        return ALLREDUCE_LATENCY_PCIE_S + ALLREDUCE_LATENCY_PCIE_PER_EXTRA_GPU_S * (
            split.gpus - 2)
    return ALLREDUCE_LATENCY_S + ALLREDUCE_LATENCY_PER_EXTRA_GPU_S * (split.gpus - 2)


def communication_s(split: Split, layers: int, tokens: int = 1, hidden: int = 0) -> float:
    """Per forward step over `tokens` tokens of width `hidden`: tensor-parallel
    all-reduces (latency floor + ring traffic 2 (n - 1) / n x 16-bit activations over the
    link, one way) or pipeline hops (0 on one GPU)."""
    activations = tokens * hidden * ACTIVATION_BYTES
    if split.kind == "tensor":
        traffic = 0.0
        if split.link_gbs:
            traffic = 2 * (split.gpus - 1) / split.gpus * activations / (split.link_gbs * 1e9)
        return layers * ALLREDUCES_PER_LAYER * (allreduce_latency_s(split) + traffic)
    if split.kind == "pipeline":
        hop = activations / (split.link_gbs * 1e9) if split.link_gbs else 0.0
        return (split.gpus - 1) * (PIPELINE_HOP_S + hop)
    return 0.0


def launches_kernels(runtime: str | None, split_kind: str) -> bool:
    """Whether `runtime` launches a forward step kernel by kernel under `split_kind`
    (Split.kind): llama.cpp before CUDA graphs always; llama.cpp with graphs under its row
    split ("tensor"), whose split weight buffers disable graph capture (a layer split
    captures one graph per GPU); graph-captured engines (the default) never."""
    return runtime == "llama.cpp-no-graphs" or (runtime == "llama.cpp" and
                                                split_kind == "tensor")


def launch_overhead_s(runtime: str | None, split_kind: str, layers: int) -> float:
    """Host launch time one forward step adds: KERNEL_LAUNCH_PER_LAYER_S per layer when
    the runtime launches kernel by kernel, else 0."""
    return layers * KERNEL_LAUNCH_PER_LAYER_S if launches_kernels(runtime, split_kind) \
        else 0.0


def blend(memory_s: float, compute_s: float, sharpness: float | None) -> float:
    """Time of a step bound by memory and compute: max() when sharpness is None, else
    the p-norm (m^p + c^p)^(1/p): p = 1 adds them (no overlap), large p tends to max."""
    if sharpness is None:
        return max(memory_s, compute_s)
    return float((memory_s ** sharpness + compute_s ** sharpness) ** (1 / sharpness))


def step_s(split: Split, weight_bytes: float, kv_bytes: float, flops: float, batch: int,
           bandwidth: float, compute: float, shape: tuple[int, int],
           sharpness: float | None = None) -> float:
    """Seconds for every sequence of `batch` to advance one forward step.

    weight_bytes / kv_bytes / flops: the whole step's totals (all GPUs together);
    bandwidth (bytes/s) and compute (FLOP/s): what ONE GPU achieves; shape: (layers,
    hidden width) for the communication.
    """
    layers, hidden = shape
    if split.kind == "pipeline":
        micro = max(1, min(split.gpus, batch))
        busy = blend((weight_bytes + kv_bytes / micro) / bandwidth,
                     flops / (micro * compute), sharpness)
    else:
        busy = blend((weight_bytes + kv_bytes) / (split.gpus * bandwidth),
                     flops / (split.gpus * compute), sharpness)
    return busy + communication_s(split, layers, batch, hidden)


def prefill_compute_gpus(split: Split, requests: int) -> int:
    """GPUs that work on `requests` prompts at once: all of them under tensor parallel;
    under pipeline parallel one stage per request in flight."""
    if split.kind == "pipeline":
        return max(1, min(split.gpus, requests))
    return split.gpus
