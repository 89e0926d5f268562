"""The `runtime` input: graph-captured engines (the default) pay no launch time; a runtime
that launches kernel by kernel (llama.cpp before CUDA graphs, llama.cpp over several GPUs)
adds KERNEL_LAUNCH_PER_LAYER_S per layer to every forward step; llama.cpp on quantized
weights decodes with its own kernels' bandwidth and time per layer (docs/ESTIMATOR.md)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mathcore.errors import MathInputError
from mathcore.estimator import Workload, calibration, efficiency, estimate
from mathcore.estimator.workload import GRAPH_RUNTIMES, RUNTIMES
from mathcore.llm_models import model_spec

BASE = Workload(task="inference", gpu="RTX4090", model="Llama-2-7B", precision="int4",
                input_tokens=1, output_tokens=128)


def step_s(workload: Workload) -> float:
    decode = estimate(workload).decode_tokens_per_s
    assert decode is not None
    return 1 / decode


def test_default_is_a_graph_captured_engine() -> None:
    for runtime in GRAPH_RUNTIMES:
        assert step_s(replace(BASE, runtime=runtime)) == pytest.approx(step_s(BASE))
    sixteen = replace(BASE, precision="fp16")
    assert step_s(replace(sixteen, runtime="llama.cpp")) == pytest.approx(step_s(sixteen))


def test_kernel_launches_add_their_time_per_layer_to_each_step() -> None:
    layers = model_spec("Llama-2-7B").layers
    for precision in ("fp16", "int4"):
        work = replace(BASE, precision=precision)
        added = step_s(replace(work, runtime="llama.cpp-no-graphs")) - step_s(
            replace(work, runtime="llama.cpp"))
        assert added == pytest.approx(layers * efficiency.KERNEL_LAUNCH_PER_LAYER_S)


def test_llama_cpp_launches_kernel_by_kernel_under_row_split_only() -> None:
    for parallelism, launches in (("pipeline", False), ("tensor", True)):
        split = replace(BASE, gpu_count=2, parallelism=parallelism)
        added = step_s(replace(split, runtime="llama.cpp-no-graphs")) - step_s(
            replace(split, runtime="llama.cpp"))
        expected = model_spec("Llama-2-7B").layers * efficiency.KERNEL_LAUNCH_PER_LAYER_S
        assert added == pytest.approx(0.0 if launches else expected, abs=1e-12)


@pytest.mark.parametrize(("gpu", "bandwidth_gbs"), [("RTX4090", 1008.0 * 0.75),
                                                    ("H100-PCIe", 1000.0)])
def test_llama_cpp_quantized_step_is_its_stream_plus_a_time_per_layer(
        gpu: str, bandwidth_gbs: float) -> None:
    """llama.cpp on quantized weights streams them at 0.75 of the datasheet, never above
    1000 GB/s (H100 PCIe: 2000 GB/s datasheet), plus 90 us per layer; other runtimes at
    the quantized fraction with no such time. Hand-computed from the model shape."""
    work = replace(BASE, gpu=gpu, runtime="llama.cpp")
    spec = model_spec("Llama-2-7B")
    weights = (spec.params_b * 1e9 - spec.embedding_params) * 0.5
    kv = (1 + 128 / 2) * spec.kv_elements_per_token * 2
    expected = (weights + kv) / (bandwidth_gbs * 1e9) + spec.layers * 90e-6
    assert step_s(work) == pytest.approx(expected, rel=1e-3)
    assert step_s(replace(work, runtime="vllm")) == pytest.approx(
        (weights + kv) / (estimate(work).hardware.mem_bw_gbs * 0.53e9), rel=1e-3)


def test_serving_at_load_pays_the_launch_time_too() -> None:
    load = replace(BASE, mode="throughput", input_tokens=512, output_tokens=256)
    slow = estimate(replace(load, runtime="llama.cpp-no-graphs")).throughput_tokens_per_s
    fast = estimate(load).throughput_tokens_per_s
    assert slow is not None and fast is not None and slow < fast


def test_unknown_runtime_is_refused_by_name() -> None:
    with pytest.raises(MathInputError, match="runtime"):
        Workload(task="inference", gpu="RTX4090", model="Llama-2-7B", runtime="exllama")


def test_every_measurement_names_its_runtime() -> None:
    """Published inference rows name a runtime the estimator takes (bench-gpu's device
    rows say pytorch-eager and are estimated with the default)."""
    for row in calibration.load():
        assert row.runtime, row.what
        if row.task == "inference" and row.set != "device":
            assert row.runtime in RUNTIMES, row.what
