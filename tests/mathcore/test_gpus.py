"""GPU datasheet facts: every figure sourced, hand-checked values, generic entries."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mathcore.errors import MathInputError
from mathcore.gpus import FIGURES, GPU_SPECS, GpuSpec, cited_fields, gpu_spec, gpu_spec_for_estimate
from mathcore.gpus.spec import Doc, make, per
from tests.conftest import REPO_ROOT

ALL = sorted(GPU_SPECS)


@pytest.mark.parametrize("name", ALL)
def test_every_figure_has_a_source(name: str) -> None:
    spec = GPU_SPECS[name]
    cited = {field for source in spec.sources for field in cited_fields(source)}
    assert set(spec.figures_known()) <= cited
    for source in spec.sources:
        title, url, _ = source.split(" | ")
        assert title.strip() and url.startswith("https://")


@pytest.mark.parametrize("name", ALL)
def test_tensor_figures_are_not_below_plain_fp32(name: str) -> None:
    spec = GPU_SPECS[name]
    for tensor in (spec.bf16_tflops, spec.fp16_tflops):
        if tensor is not None and spec.fp32_tflops is not None:
            assert tensor >= spec.fp32_tflops
    if spec.fp8_tflops is not None and spec.bf16_tflops is not None:
        assert spec.fp8_tflops >= spec.bf16_tflops


@pytest.mark.parametrize("name", ALL)
def test_entry_is_consistent(name: str) -> None:
    spec = GPU_SPECS[name]
    assert spec.name == name
    for variant in spec.variants:
        exact = GPU_SPECS[variant]
        assert not exact.variants
        assert (exact.vendor, exact.kind) == (spec.vendor, spec.kind)
        for figure in spec.figures_known():  # a generic entry keeps only shared figures
            assert getattr(exact, figure) == getattr(spec, figure), (variant, figure)


@pytest.mark.parametrize(
    ("name", "figure", "value"),
    [
        ("H100-SXM", "bf16_tflops", 989),
        ("H100-SXM", "mem_bw_gbs", 3350),
        ("H100-SXM", "memory_gb", 80),
        ("H100-SXM", "fp32_tflops", 67),
        ("H100-PCIe", "mem_bw_gbs", 2000),
        ("H100-NVL", "memory_gb", 94),
        ("A100-80GB-SXM", "bf16_tflops", 312),
        ("A100-80GB-SXM", "mem_bw_gbs", 2039),
        ("A100-80GB-PCIe", "mem_bw_gbs", 1935),
        ("A100-40GB-SXM", "mem_bw_gbs", 1555),
        ("A100-40GB-SXM", "fp32_tflops", 19.5),
        ("V100-SXM2-16GB", "fp16_tflops", 125),
        ("T4", "fp16_tflops", 65),
        ("L4", "bf16_tflops", 121),
        ("L40S", "bf16_tflops", 366.5),
        ("H200-SXM", "memory_gb", 141),
        ("H200-SXM", "mem_bw_gbs", 4800),
        ("MI300X", "memory_gb", 192),
        ("MI300X", "bf16_tflops", 1307.4),
        ("TPU-v5p", "bf16_tflops", 459),
    ],
)
def test_hand_checked_figures(name: str, figure: str, value: float) -> None:
    assert getattr(GPU_SPECS[name], figure) == pytest.approx(value, abs=0.6)


@pytest.mark.parametrize(
    ("name", "figure"),
    [
        ("T4", "bf16_tflops"),  # Turing has no BF16
        ("V100-SXM2-16GB", "bf16_tflops"),  # nor has Volta
        ("A100-80GB-SXM", "fp8_tflops"),  # nor FP8 on Ampere
        ("H100", "bf16_tflops"),  # generic: SXM and PCIe differ
        ("A100", "memory_gb"),
    ],
)
def test_unknown_stays_none(name: str, figure: str) -> None:
    assert getattr(GPU_SPECS[name], figure) is None


def test_memory_variants_and_form_factors_are_kept_apart() -> None:
    for a, b in [("A100-40GB", "A100-80GB"), ("V100-16GB", "V100-32GB"),
                 ("H100-SXM", "H100-NVL"), ("H200-SXM", "H200-NVL")]:
        assert GPU_SPECS[a] != GPU_SPECS[b]
    assert GPU_SPECS["H100"].variants == ("H100-SXM", "H100-PCIe")


def test_gpu_spec_names_the_unknown_gpu() -> None:
    assert gpu_spec("H100-SXM").name == "H100-SXM"
    with pytest.raises(MathInputError, match="H100-MEGA-9000"):
        gpu_spec("H100-MEGA-9000")


def test_estimate_of_an_exact_model_is_its_spec() -> None:
    assert gpu_spec_for_estimate("H100-SXM") == (GPU_SPECS["H100-SXM"], [])


def test_estimate_of_a_generic_entry_takes_the_lowest_variant() -> None:
    spec, notes = gpu_spec_for_estimate("H100")
    pcie = GPU_SPECS["H100-PCIe"]
    assert (spec.bf16_tflops, spec.mem_bw_gbs, spec.fp32_tflops) == (
        pcie.bf16_tflops, pcie.mem_bw_gbs, pcie.fp32_tflops)
    assert spec.memory_gb == 80
    assert notes == [
        "H100: form factor unknown: using H100-PCIe figures (mem_bw_gbs, bf16_tflops, "
        "fp16_tflops, fp8_tflops, fp32_tflops, tdp_w), the lowest of H100-SXM/H100-PCIe"
    ]
    assert set(spec.figures_known()) <= {f for s in spec.sources for f in cited_fields(s)}


def test_estimate_of_a_memory_generic_says_so() -> None:
    spec, notes = gpu_spec_for_estimate("A100")
    assert spec.memory_gb == 40 and spec.mem_bw_gbs == 1555
    assert notes and all("exact model unknown" in n and "lowest of" in n for n in notes)


@pytest.mark.parametrize("name", [n for n in ALL if GPU_SPECS[n].variants])
def test_estimate_never_exceeds_any_variant(name: str) -> None:
    spec, _ = gpu_spec_for_estimate(name)
    for variant in GPU_SPECS[name].variants:
        exact = GPU_SPECS[variant]
        for figure in FIGURES[:-1]:
            mine, theirs = getattr(spec, figure), getattr(exact, figure)
            if mine is not None and theirs is not None:
                assert mine <= theirs


def test_a_figure_without_a_source_is_refused() -> None:
    with pytest.raises(ValueError, match="no source backs"):
        GpuSpec("X1", "nvidia", "gpu", 80, None, None, None, None, None, None, None, ())
    doc = Doc("A datasheet", "https://example.com/x1.pdf")
    assert make("X1", "nvidia", "gpu", per(doc, memory_gb=80)).memory_gb == 80
    with pytest.raises(ValueError):
        make("X1", "nvidia", "gpu", per(doc, memory_gb=-1))
    with pytest.raises(ValueError):
        make("X1", "martian", "gpu")


def test_importing_mathcore_gpus_does_not_load_django() -> None:
    code = "import sys, mathcore.gpus; assert 'django' not in sys.modules, 'django loaded'"
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
