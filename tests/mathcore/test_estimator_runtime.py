"""The `runtime` input: graph-captured engines (the default) pay no launch time; a runtime
that launches kernel by kernel (llama.cpp before CUDA graphs, llama.cpp over several GPUs)
adds KERNEL_LAUNCH_PER_LAYER_S per layer to every forward step (docs/ESTIMATOR.md)."""

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
    for runtime in (*GRAPH_RUNTIMES, "llama.cpp"):
        assert step_s(replace(BASE, runtime=runtime)) == pytest.approx(step_s(BASE))


def test_kernel_launches_add_their_time_per_layer_to_each_step() -> None:
    layers = model_spec("Llama-2-7B").layers
    added = step_s(replace(BASE, runtime="llama.cpp-no-graphs")) - step_s(BASE)
    assert added == pytest.approx(layers * efficiency.KERNEL_LAUNCH_PER_LAYER_S)


def test_llama_cpp_launches_kernel_by_kernel_under_row_split_only() -> None:
    layer = replace(BASE, gpu_count=2, parallelism="pipeline")
    assert step_s(replace(layer, runtime="llama.cpp")) == pytest.approx(
        step_s(replace(layer, runtime="vllm")))
    row = replace(BASE, gpu_count=2, parallelism="tensor")
    added = step_s(replace(row, runtime="llama.cpp")) - step_s(replace(row, runtime="vllm"))
    assert added == pytest.approx(
        model_spec("Llama-2-7B").layers * efficiency.KERNEL_LAUNCH_PER_LAYER_S)


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
