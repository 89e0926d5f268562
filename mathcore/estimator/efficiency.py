"""Efficiency factors: how much of a datasheet peak real LLM software reaches.

One set of factors serves every estimate; none is tuned per GPU or per model. Each is
documented with the published measurements it comes from (docs/ESTIMATOR.md shows how
well the whole estimator then matches a table of other published measurements).

DECODE_BANDWIDTH_FRACTION
    Decoding one token streams every weight (and the KV cache) from device memory once,
    so its speed is bytes / achieved bandwidth. gpt-fast (PyTorch team) measured on
    A100-80GB "Empirically, seems like peak bandwidth is about 1700 GB/s" of the 2039 GB/s
    datasheet (0.83), and its Llama-2-7B bf16 batch-1 decode reached 1397 GB/s (0.69):
    https://github.com/pytorch-labs/gpt-fast (README, Benchmarks). llama.cpp batch-1
    decode of Llama-3-8B F16 reaches 0.75-0.87 of the datasheet on RTX 3090/4090/4080/
    A6000/6000 Ada/L40S (https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference).
    0.80 sits between the streaming ceiling and what decode kernels reach.

QUANTIZED_BANDWIDTH_FRACTION
    Weight-only int8/int4 decode dequantizes every weight on the fly and reaches less of
    the bandwidth: gpt-fast measured 1069 and 1323 GB/s for Llama-2-7B/70B int8 and 863
    and 1098 GB/s for int4 (group 32) on the same A100s (0.52, 0.65, 0.42, 0.54 of 2039);
    their median, 0.53, applies to int8/int4 weights and to fp8 weights on chips without
    FP8 units.

ALLREDUCE_LATENCY_S, ALLREDUCES_PER_LAYER
    Megatron-style tensor parallelism splits each layer over the GPUs and joins the
    partial results with two all-reduces per layer in the forward pass, one after
    attention and one after the MLP (Shoeybi et al. 2019, https://arxiv.org/abs/1909.08053,
    section 3). At batch 1 these are latency-bound. gpt-fast's tensor-parallel table
    (Llama-2-7B/70B on 2, 4, 8 A100s) implies 18-40 us per all-reduce once the weight
    stream is divided by the GPU count; 30 us is the middle of that range.

ALLREDUCE_LATENCY_PCIE_S, ALLREDUCE_LATENCY_PCIE_PER_EXTRA_GPU_S
    The same split over PCIe (llama.cpp's row split, Dec 2023 snapshot of
    https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference) synchronises through the
    host. The fit rows are one RTX 3090 host (f16 and q4_0), and its decode slowdown is
    mostly its link, not latency: the same table's prompt processing on that host falls
    from 3075 tokens/s on one card to 247 / 232 / 88 tokens/s on 2 / 3 / 6 (4090 host:
    7349 to 1729 / 1006 / 426), i.e. it moves a token's activations at about 2 GB/s, far
    below PCIe 4.0 x16. A prompt token moves the same activations as a decoded one, so
    the fit (`calibration.pcie_latency_fit_error`) adds that host's measured prompt time
    per token to each estimate before comparing, and the latency left is the host's
    synchronisation alone: 120 us + 50 us per GPU past two (grid 100-300 us, 0-100 us),
    with row split's kernel launch time (KERNEL_LAUNCH_PER_LAYER_S) and llama.cpp's
    quantized time per layer (LLAMACPP_QUANTIZED_PER_LAYER_S) charged apart.

PIPELINE_HOP_S
    A layer split passes one token's activations per stage boundary. Fitted on the fit
    host's layer-split rows as the slowdown over the same host's one-card fit row
    (`calibration.pipeline_hop_fit_error`), so the hop does not absorb the one-card
    bandwidth error of that host (+6.8 % on the RTX 3090): 50 us (grid 0-800 us).

KERNEL_LAUNCH_PER_LAYER_S
    A runtime that launches every kernel of a decode step from the host (llama.cpp before
    CUDA graphs, and llama.cpp's row split, whose split buffers turn graphs off) leaves
    the GPU idle between its small kernels; a CUDA graph launches the whole step at once
    (gpt-fast's torch.compile "reduce-overhead", vLLM, TensorRT-LLM). llama.cpp's
    published graph on/off pairs of the same build and host measure that time directly:
    Llama 2 7B q4_0 on an RTX 3090 116.31 -> 128.27 t/s and on an RTX 4090 138.31 ->
    146.81 t/s (https://github.com/ggml-org/llama.cpp/pull/6766, comment of 2024-04-19),
    Q4_K_M on an H100 PCIe 143.35 -> 163.83 t/s
    (https://github.com/ggml-org/llama.cpp/issues/6763), i.e. 0.42-0.87 ms per token over
    32 layers. Fitted on those fit rows as the slowdown over the same host's graph row
    (`calibration.launch_overhead_fit_error`, grid 0-60 us in 1 us).

LLAMACPP_QUANTIZED_BANDWIDTH_FRACTION, LLAMACPP_QUANTIZED_CEILING_GBS,
LLAMACPP_QUANTIZED_PER_LAYER_S
    llama.cpp decodes quantized weights (q4_0, Q4_K_M, ...) with its own matrix-vector
    kernels, whose speed does not follow the gpt-fast fraction above. Its published
    batch-1 Q4_K_M runs of Llama 3 8B and 70B on many GPUs (LLaMA 3 tables of
    https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference, May 2024, CUDA graphs
    on) fit step = bytes / min(fraction x datasheet bandwidth, ceiling) + layers x a time
    per layer: the two sizes of one card (32 layers over 4.9 GB, 80 layers over 42.5 GB)
    separate the terms, 55-121 us per layer. That time is not launch time (graphs were
    on; launch time is added apart for runtimes without them), and llama.cpp's F16 runs
    (0.75-0.87 of the GDDR datasheets with nothing added) show none, so only the
    quantized path pays it. The ceiling: A100 and H100 PCIe reach 0.58-0.67 of their
    datasheet (1110-1350 GB/s) where GDDR cards reach 0.79-0.89; a kernel's bandwidth is
    bounded by the bytes it keeps in flight over the memory latency (Little's law), so
    one that keeps no more in flight on HBM stops at about the same GB/s. Fitted together
    on the one-GPU quantized llama.cpp fit rows (`calibration.llamacpp_quantized_fit_error`,
    grid fraction 0.40-1.00 in 0.05, ceiling 500-1600 GB/s in 100 or none, 0-150 us per
    layer in 5 us): 0.75, 1000 GB/s, 90 us (int4 counted as 0.5 byte per weight).

Matrix-unit efficiency (MFU: model FLOPs / (time x peak FLOPs))
    Big dense matmul-bound work (training, prefill, large-batch decode) reaches a fraction
    of the tensor-core peak that falls as the chip's compute grows faster than its memory
    bandwidth. Published bf16 training MFU: MosaicML llm-foundry measured 0.53-0.64 on
    A100-80GB and 0.38-0.46 on H100 for 1B-70B models at sequence 2048
    (https://github.com/mosaicml/llm-foundry/blob/main/scripts/train/benchmarking/README.md);
    Meta reports 0.38-0.43 BF16 MFU for Llama 3 405B on H100 (https://arxiv.org/abs/2407.21783,
    Dubey et al. 2024, The Llama 3 Herd of Models, Table 4). The estimator interpolates
    log-linearly in the chip's ridge point (peak FLOP per byte of bandwidth) between
    two anchors: A100 (ridge 153 FLOP/B, MFU 0.57, median of llm-foundry's A100-80GB
    sequence-2048 rows) and H100 SXM (ridge 295, MFU 0.41, median of Meta's three Llama 3
    405B figures), and clamps to [0.30, 0.60].
"""

from __future__ import annotations

import math

DECODE_BANDWIDTH_FRACTION = 0.80
QUANTIZED_BANDWIDTH_FRACTION = 0.53
ALLREDUCES_PER_LAYER = 2
# Fitted: see `calibration` (rows) and docs/ESTIMATOR.md; never tuned on score rows.
ALLREDUCE_LATENCY_S = 30e-6
ALLREDUCE_LATENCY_PER_EXTRA_GPU_S = 0.0
ALLREDUCE_LATENCY_PCIE_S = 120e-6
ALLREDUCE_LATENCY_PCIE_PER_EXTRA_GPU_S = 50e-6
PIPELINE_HOP_S = 50e-6
KERNEL_LAUNCH_PER_LAYER_S = 26e-6
LLAMACPP_QUANTIZED_BANDWIDTH_FRACTION = 0.75
LLAMACPP_QUANTIZED_CEILING_GBS = 1000.0
LLAMACPP_QUANTIZED_PER_LAYER_S = 90e-6
SERVE_BANDWIDTH_FRACTION = 0.90
SERVE_COMPUTE_FRACTION = 0.55
SERVE_FP4_COMPUTE_FRACTION = 0.30
SERVE_SHARPNESS = 1.25
KV_MEMORY_FRACTION = 0.90
FP8_TRAINING_SPEEDUP = 1.81
QLORA_DEQUANT_PASSES = 3

_ANCHOR_LOW = (153.0, 0.57)    # A100: 312 TFLOPS / 2039 GB/s; llm-foundry A100-80GB median
_ANCHOR_HIGH = (295.0, 0.41)   # H100 SXM: 989.5 TFLOPS / 3350 GB/s; Llama 3 405B median
MFU_FLOOR = 0.30
MFU_CEILING = 0.60


def matmul_efficiency(peak_tflops: float, mem_bw_gbs: float) -> float:
    """Expected model-FLOPs utilization of matmul-bound LLM work on a chip.

    peak_tflops: dense tensor peak at the precision used; mem_bw_gbs: memory bandwidth.
    Log-linear in the ridge point (FLOP per byte) between the two published anchors.
    """
    ridge = peak_tflops * 1e3 / mem_bw_gbs
    (x0, y0), (x1, y1) = _ANCHOR_LOW, _ANCHOR_HIGH
    slope = (y1 - y0) / (math.log(x1) - math.log(x0))
    mfu = y0 + slope * (math.log(ridge) - math.log(x0))
    return min(MFU_CEILING, max(MFU_FLOOR, mfu))


def bandwidth_fraction(dequantizes: bool) -> float:
    """Achieved fraction of datasheet bandwidth while streaming weights in decode."""
    return QUANTIZED_BANDWIDTH_FRACTION if dequantizes else DECODE_BANDWIDTH_FRACTION


def llamacpp_quantized_bw_gbs(mem_bw_gbs: float,
                              fraction: float = LLAMACPP_QUANTIZED_BANDWIDTH_FRACTION,
                              ceiling_gbs: float = LLAMACPP_QUANTIZED_CEILING_GBS) -> float:
    """GB/s llama.cpp's quantized matrix-vector kernels stream weights at on a GPU of
    datasheet bandwidth mem_bw_gbs: a fraction of it, never above the ceiling."""
    return min(mem_bw_gbs * fraction, ceiling_gbs)
