"""Serving at load, parallel splits, fp4 and training accounting: properties that must
hold for every workload, checked over grids of real GPUs and published model shapes."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from mathcore.errors import MathInputError
from mathcore.estimator import Workload, estimate, usd_per_million_tokens_at_load
from mathcore.estimator.bounds import throughput_rooflines
from mathcore.estimator.efficiency import FP8_TRAINING_SPEEDUP, KV_MEMORY_FRACTION
from mathcore.estimator.estimate import resolve_model
from mathcore.estimator.memory import kv_cache_gb

GPUS = ("H100-SXM", "H200-SXM", "A100-80GB-SXM", "L40S", "RTX4090", "RTX3090", "B200",
        "MI300X")
MODELS = ("Llama-3.1-8B", "Llama-3.1-70B", "Mixtral-8x7B", "Qwen2.5-32B")
SHAPES = ((128, 128), (2048, 128), (128, 2048), (5000, 500))


def serve(**fields: object) -> Workload:
    base: dict[str, object] = {"task": "inference", "mode": "throughput",
                               "gpu": "H100-SXM", "model": "Llama-3.1-8B"}
    base.update(fields)
    return Workload(**base)  # type: ignore[arg-type]


def _grid() -> list[Workload]:
    work = []
    for gpu, model, precision, count, (isl, osl) in itertools.product(
            GPUS, MODELS, ("bf16", "fp8", "fp4", "int4"), (1, 2, 8), SHAPES):
        for parallelism in ("tensor", "pipeline"):
            work.append(serve(gpu=gpu, model=model, precision=precision, gpu_count=count,
                              input_tokens=isl, output_tokens=osl, max_batch=4096,
                              parallelism=parallelism if count > 1 else None))
    return work[::7]    # 439 of the 3,072 combinations, every axis covered


GRID = _grid()


@pytest.mark.parametrize("work", GRID, ids=lambda w: f"{w.gpu}-{w.model}-{w.precision}-"
                         f"{w.gpu_count}{(w.parallelism or '')[:1]}-{w.input_tokens}")
def test_throughput_never_exceeds_the_compute_or_bandwidth_roofline(work: Workload) -> None:
    result = estimate(work)
    model, _ = resolve_model(work)
    assert result.batch_used is not None and result.throughput_tokens_per_s is not None
    compute, bandwidth = throughput_rooflines(
        work, model, result.hardware.peak_tflops * 1e12, result.hardware.mem_bw_gbs * 1e9,
        result.batch_used)
    assert result.throughput_tokens_per_s <= compute
    assert result.throughput_tokens_per_s <= bandwidth


@pytest.mark.parametrize("work", GRID[::3], ids=lambda w: f"{w.gpu}-{w.model}-"
                         f"{w.precision}-{w.gpu_count}-{w.input_tokens}")
def test_batch_used_never_overflows_the_memory(work: Workload) -> None:
    result = estimate(work)
    if not result.fits:
        assert result.batch_used == 1
        return
    assert result.memory.per_gpu_gb <= result.hardware.memory_gb
    assert result.kv_cache_gb == pytest.approx(
        kv_cache_gb(replace(work, batch=result.batch_used), resolve_model(work)[0].spec))
    # The KV cache budget: KV_MEMORY_FRACTION of what weights, activations and runtime
    # leave; one more sequence would not fit in it, unless max_batch stopped the batch.
    others = result.memory.total - result.kv_cache_gb
    budget = KV_MEMORY_FRACTION * (result.hardware.memory_gb * work.gpu_count - others)
    per_sequence = result.kv_cache_gb / result.batch_used
    assert result.kv_cache_gb <= budget + 1e-9
    assert result.batch_used == work.max_batch or result.kv_cache_gb + per_sequence > budget


@pytest.mark.parametrize(("gpu", "model", "precision"), [
    ("RTX3090", "Llama-3-8B", "fp16"), ("RTX4090", "Llama-2-7B", "fp16"),
    ("H100-SXM", "Llama-3.1-70B", "bf16"), ("L40S", "Qwen2.5-32B", "fp8"),
    ("A100-80GB-SXM", "Llama-3.1-70B", "int4")])
def test_more_gpus_in_pipeline_never_speed_up_batch_one_decode(
        gpu: str, model: str, precision: str) -> None:
    speeds = [estimate(Workload(task="inference", gpu=gpu, model=model,
                                precision=precision, gpu_count=n,
                                parallelism="pipeline")).decode_tokens_per_s
              for n in (1, 2, 3, 4, 6, 8)]
    assert all(b is not None and a is not None and b <= a
               for a, b in itertools.pairwise(speeds))


def test_throughput_mode_runs_the_batch_the_kv_cache_holds() -> None:
    result = estimate(serve(precision="fp8", input_tokens=1000, output_tokens=1000,
                            max_batch=100_000))
    per_sequence = 2 * 32 * 8 * 128 * 1 * 2000 / 1e9       # fp8 KV, prompt + output
    free = KV_MEMORY_FRACTION * (80 - result.memory.weights - result.memory.overhead
                                 - result.memory.activations)
    assert result.batch_used == int(free // per_sequence)
    assert result.per_user_tokens_per_s == pytest.approx(
        result.throughput_tokens_per_s / result.batch_used)  # type: ignore[operator]
    assert result.time_to_first_token_s is not None and result.time_to_first_token_s > 0


def test_concurrency_and_max_batch_cap_the_batch() -> None:
    assert estimate(serve(concurrency=12)).batch_used == 12
    assert estimate(serve()).batch_used == 256          # the default max_batch
    low = estimate(serve(concurrency=4))
    high = estimate(serve(concurrency=64))
    assert low.throughput_tokens_per_s < high.throughput_tokens_per_s  # type: ignore[operator]
    assert low.per_user_tokens_per_s > high.per_user_tokens_per_s  # type: ignore[operator]


def test_load_is_cheaper_per_token_than_one_user() -> None:
    one = estimate(serve(mode="latency", price_per_hour=3.0))
    load = estimate(serve(price_per_hour=3.0))
    assert load.usd_per_million_tokens < one.usd_per_million_tokens / 10  # type: ignore[operator]


def test_cost_at_load_is_price_over_throughput_and_refuses_what_does_not_fit() -> None:
    result = estimate(serve(price_per_hour=4.0, model="Llama-3.1-70B", gpu_count=2,
                            precision="fp8"))
    usd = usd_per_million_tokens_at_load("H100-SXM", 4.0, model="Llama-3.1-70B",
                                         gpu_count=2, precision="fp8")
    assert usd == pytest.approx(4.0 / (result.throughput_tokens_per_s * 3600) * 1e6)  # type: ignore[operator]
    with pytest.raises(MathInputError, match="does not fit"):
        usd_per_million_tokens_at_load("RTX4090", 1.0, model="Llama-3.1-70B")


def test_default_parallelism_follows_the_link() -> None:
    assert estimate(serve(gpu_count=2)).parallelism == "tensor"           # NVLink
    assert estimate(serve(gpu="RTX4090", gpu_count=2)).parallelism == "pipeline"
    assert estimate(serve(gpu="L40S", gpu_count=2)).parallelism == "pipeline"   # PCIe
    assert estimate(serve(gpu="MI300X", gpu_count=2)).parallelism == "tensor"


def test_fp4_runs_on_blackwell_units_and_falls_back_elsewhere() -> None:
    blackwell = estimate(serve(gpu="B200", precision="fp4"))
    assert blackwell.hardware.peak_figure == "fp4_tflops"
    hopper = estimate(serve(precision="fp4"))
    assert hopper.hardware.peak_figure == "bf16_tflops" and hopper.hardware.dequantizes
    assert any("no FP4 units" in note for note in hopper.assumptions)
    with pytest.raises(MathInputError, match="cannot train"):
        Workload(task="training", gpu="B200", model="Llama-3.1-8B", precision="fp4")


def test_fp8_training_is_faster_than_bf16_but_not_twice() -> None:
    bf16 = estimate(Workload(task="training", gpu="H100-SXM", model="Llama-3.1-8B",
                             gpu_count=8, input_tokens=4096))
    fp8 = estimate(replace(bf16.workload, precision="fp8"))
    ratio = fp8.train_tokens_per_s / bf16.train_tokens_per_s  # type: ignore[operator]
    assert ratio == pytest.approx(FP8_TRAINING_SPEEDUP)
    assert 1.5 <= ratio < 2.0


def test_qlora_pays_for_dequantizing_the_base() -> None:
    lora = estimate(Workload(task="fine-tune", method="lora", gpu="A100-80GB-SXM",
                             model="Llama-3.1-8B", input_tokens=2048))
    qlora = estimate(replace(lora.workload, method="qlora"))
    assert qlora.train_tokens_per_s < lora.train_tokens_per_s  # type: ignore[operator]
    more_tokens = estimate(replace(qlora.workload, batch=8))
    assert more_tokens.train_tokens_per_s > qlora.train_tokens_per_s  # type: ignore[operator]


def test_throughput_mode_is_inference_only() -> None:
    with pytest.raises(MathInputError, match="applies to task .inference. only"):
        Workload(task="training", gpu="H100-SXM", model="Llama-3.1-8B", mode="throughput")


def test_tensor_parallel_needs_the_kv_heads_to_split_evenly() -> None:
    three = estimate(serve(model="Llama-3.1-70B", gpu_count=3))     # 8 KV heads
    assert three.parallelism == "pipeline"
    assert any("do not split evenly" in note for note in three.assumptions)
    assert estimate(serve(model="Llama-3.1-70B", gpu_count=4)).parallelism == "tensor"
    training = estimate(Workload(task="training", gpu="H100-SXM", model="Llama-3.1-8B",
                                 gpu_count=3))
    assert training.parallelism == "data"
