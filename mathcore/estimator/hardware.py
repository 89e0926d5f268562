"""The datasheet figures a workload runs at: which peak applies to which precision.

bf16/fp16/fp32/fp8/fp4 use the matching dense figure. int8/int4 are weight-only quantized
inference: weights are read in 8/4 bits, the math runs at the 16-bit rate. fp8 on a chip
without FP8 units is served the same way (weights in 8 bits, 16-bit math) and noted;
training in fp8 there is refused. fp4 (NVFP4/MXFP4, Blackwell) on a chip without FP4
units falls back to 4-bit weights dequantized to 16-bit math (weight-only, as vLLM's
Marlin kernels run FP4 checkpoints on earlier GPUs), noted. A figure the datasheet lacks
raises MathInputError naming the GPU and the figure, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mathcore.errors import MathInputError
from mathcore.estimator.efficiency import bandwidth_fraction
from mathcore.estimator.workload import Workload
from mathcore.gpus import GpuSpec, gpu_spec_for_estimate

_SIXTEEN_BIT = ("bf16_tflops", "fp16_tflops")


@dataclass(frozen=True)
class Hardware:
    """One GPU as the estimator sees it, at the precision the math runs in."""

    name: str
    memory_gb: float
    mem_bw_gbs: float
    peak_tflops: float
    peak_figure: str
    dequantizes: bool = False
    interconnect: str | None = None
    sixteen_bit_tflops: float | None = None

    @property
    def fast_link(self) -> bool:
        """NVLink/NVSwitch or Infinity Fabric between the GPUs (a PCIe card's optional
        two-card bridge does not count: cloud offers rarely have it)."""
        link = (self.interconnect or "").lower()
        return link.startswith("nvlink") or "infinity fabric" in link

    @property
    def link_gbs(self) -> float | None:
        """GPU-to-GPU bandwidth one way, GB/s: half the datasheet's two-way figure of the
        link (NVLink/Infinity Fabric on fast-link parts, else the PCIe slot); None when
        the datasheet gives none."""
        text = self.interconnect or ""
        part = text.split(";")[0]
        links = re.search(r"(\d+) links x ([\d.]+) GB/s", part)
        if links:
            return int(links.group(1)) * float(links.group(2)) / 2
        figure = re.search(r"\(([\d.]+) (GB|TB)/s\)", part)
        if figure is None:
            return None
        return float(figure.group(1)) * (1000.0 if figure.group(2) == "TB" else 1.0) / 2

    @property
    def achieved_bw_gbs(self) -> float:
        """Bandwidth decode streams weights at (datasheet x the efficiency factor)."""
        return self.mem_bw_gbs * bandwidth_fraction(self.dequantizes)


def hardware_for(workload: Workload) -> tuple[Hardware, list[str]]:
    """The GPU's figures for `workload`, and notes on any figure substituted."""
    spec, notes = gpu_spec_for_estimate(workload.gpu)
    memory = _required(spec, "memory_gb")
    bandwidth = _required(spec, "mem_bw_gbs")
    figure, more = _peak_figure(spec, workload)
    peak = _required(spec, figure)
    dequantizes = workload.precision in ("int8", "int4") or (
        workload.precision in ("fp8", "fp4") and figure != f"{workload.precision}_tflops")
    sixteen = spec.bf16_tflops or spec.fp16_tflops
    return Hardware(spec.name, memory, bandwidth, peak, figure, dequantizes,
                    spec.interconnect, sixteen), notes + more


def _peak_figure(spec: GpuSpec, workload: Workload) -> tuple[str, list[str]]:
    precision = workload.precision
    if workload.method == "qlora":
        return _sixteen_bit(spec, "qlora: 4-bit NF4 base weights are dequantized, math at "
                                  "the 16-bit tensor rate")
    if precision in ("int8", "int4"):
        return _sixteen_bit(spec, f"{precision} weight-only quantization: weights are "
                                  "dequantized, math at the 16-bit tensor rate")
    if precision == "fp32":
        return "fp32_tflops", []
    if precision == "fp8":
        return _fp8(spec, workload)
    if precision == "fp4":
        if spec.fp4_tflops is not None:
            return "fp4_tflops", []
        return _sixteen_bit(spec, f"{spec.name} has no FP4 units: fp4 weights are read in "
                                  "4 bits and dequantized, math at the 16-bit rate")
    preferred = f"{precision}_tflops"
    if getattr(spec, preferred) is not None:
        return preferred, []
    return _sixteen_bit(spec, f"{spec.name} has no {precision} figure")


def _fp8(spec: GpuSpec, workload: Workload) -> tuple[str, list[str]]:
    if spec.fp8_tflops is not None:
        return "fp8_tflops", []
    if workload.is_training:
        raise MathInputError(f"{spec.name} has no FP8 tensor throughput (fp8_tflops); "
                             "fp8 training needs it: use bf16 or another GPU")
    return _sixteen_bit(spec, f"{spec.name} has no FP8 units: fp8 weights are read in "
                              "8 bits, math runs at the 16-bit rate")


def _sixteen_bit(spec: GpuSpec, why: str) -> tuple[str, list[str]]:
    """The 16-bit tensor figure; failing that, plain FP32 as a lower bound (noted)."""
    for figure in _SIXTEEN_BIT:
        if getattr(spec, figure) is not None:
            return figure, [f"{why}: using {figure}"]
    if spec.fp32_tflops is not None:
        return "fp32_tflops", [f"{why}; {spec.name} has no published 16-bit tensor "
                               "throughput: compute time uses its FP32 figure, a lower "
                               "bound (decode is bound by memory bandwidth anyway)"]
    raise MathInputError(f"{spec.name} has no published bf16/fp16 tensor or fp32 "
                         "throughput; cannot estimate compute time on it")


def _required(spec: GpuSpec, figure: str) -> float:
    value = getattr(spec, figure)
    if value is None:
        raise MathInputError(f"{spec.name} has no published {figure}; "
                             "cannot estimate on it")
    return float(value)
