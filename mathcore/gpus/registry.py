"""GPU_SPECS, lookup by canonical name, and conservative figures for generic entries."""

from __future__ import annotations

from mathcore.errors import MathInputError
from mathcore.gpus import amd, nvidia_datacenter, nvidia_rtx, other
from mathcore.gpus.spec import FIGURES, GpuSpec


def _index(specs: tuple[GpuSpec, ...]) -> dict[str, GpuSpec]:
    index: dict[str, GpuSpec] = {}
    for spec in specs:
        if spec.name in index:
            raise ValueError(f"GPU {spec.name!r} is defined twice")
        index[spec.name] = spec
    for spec in specs:
        for variant in spec.variants:
            if variant not in index or index[variant].variants:
                raise ValueError(f"{spec.name}: variant {variant!r} is not an exact model")
    return index


GPU_SPECS: dict[str, GpuSpec] = _index(
    nvidia_datacenter.SPECS + nvidia_rtx.SPECS + amd.SPECS + other.SPECS
)


def gpu_spec(name: str) -> GpuSpec:
    """The spec of a canonical GPU name; MathInputError naming it when unknown."""
    spec = GPU_SPECS.get(name)
    if spec is None:
        raise MathInputError(f"unknown GPU {name!r}: not a canonical GPU name")
    return spec


def gpu_spec_for_estimate(name: str) -> tuple[GpuSpec, list[str]]:
    """A spec to estimate with, and the assumptions made to fill it.

    For an exact model: (its spec, []). For a generic entry (variants not empty), each
    figure it lacks takes the lowest value among its variants, so an estimate never
    promises more than the slowest model the name may stand for; one plain-English
    note per variant used says so.
    """
    spec = gpu_spec(name)
    if not spec.variants:
        return spec, []
    variants = [GPU_SPECS[v] for v in spec.variants]
    filled: dict[str, float] = {}
    used: dict[str, list[str]] = {}
    for figure in FIGURES[:-1]:
        if getattr(spec, figure) is not None:
            continue
        lowest = _lowest(variants, figure)
        if lowest is not None:
            filled[figure] = getattr(lowest, figure)
            used.setdefault(lowest.name, []).append(figure)
    sources = spec.sources + tuple(
        s for v in variants if v.name in used for s in v.sources if s not in spec.sources
    )
    return _filled(spec, filled, sources), _notes(spec, used)


def _filled(spec: GpuSpec, filled: dict[str, float], sources: tuple[str, ...]) -> GpuSpec:
    return GpuSpec(
        name=spec.name,
        vendor=spec.vendor,
        kind=spec.kind,
        memory_gb=filled.get("memory_gb", spec.memory_gb),
        mem_bw_gbs=filled.get("mem_bw_gbs", spec.mem_bw_gbs),
        bf16_tflops=filled.get("bf16_tflops", spec.bf16_tflops),
        fp16_tflops=filled.get("fp16_tflops", spec.fp16_tflops),
        fp8_tflops=filled.get("fp8_tflops", spec.fp8_tflops),
        fp32_tflops=filled.get("fp32_tflops", spec.fp32_tflops),
        tdp_w=filled.get("tdp_w", spec.tdp_w),
        interconnect=spec.interconnect,
        sources=sources,
        variants=spec.variants,
        fp4_tflops=filled.get("fp4_tflops", spec.fp4_tflops),
    )


def _lowest(variants: list[GpuSpec], figure: str) -> GpuSpec | None:
    """The variant with the lowest value of `figure`; None unless every variant has it."""
    if any(getattr(v, figure) is None for v in variants):
        return None
    return min(variants, key=lambda v: float(getattr(v, figure)))


def _notes(spec: GpuSpec, used: dict[str, list[str]]) -> list[str]:
    which = "form factor" if _same_memory(spec) else "exact model"
    choices = "/".join(spec.variants)
    return [
        f"{spec.name}: {which} unknown: using {variant} figures ({', '.join(figures)}), "
        f"the lowest of {choices}"
        for variant, figures in used.items()
    ]


def _same_memory(spec: GpuSpec) -> bool:
    return len({GPU_SPECS[v].memory_gb for v in spec.variants}) == 1
