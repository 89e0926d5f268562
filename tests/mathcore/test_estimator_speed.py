"""Roofline speeds, hand-computed from the formulas in mathcore.estimator.roofline."""

import pytest

from mathcore.errors import MathInputError
from mathcore.estimator import Workload, estimate, lora_params, matmul_efficiency
from mathcore.estimator.efficiency import (
    ALLREDUCE_LATENCY_PER_EXTRA_GPU_S,
    ALLREDUCE_LATENCY_S,
    DECODE_BANDWIDTH_FRACTION,
)
from mathcore.llm_models import model_spec

A100_BW = 2039e9 * DECODE_BANDWIDTH_FRACTION   # A100-80GB-SXM datasheet x bandwidth factor


def infer(**overrides: object) -> Workload:
    fields: dict[str, object] = {"task": "inference", "gpu": "A100-80GB-SXM",
                                 "model": "Llama-2-7B", "input_tokens": 512,
                                 "output_tokens": 256}
    fields.update(overrides)
    return Workload(**fields)  # type: ignore[arg-type]


def test_batch_one_decode_streams_weights_and_kv_once_per_token() -> None:
    # Weights less the input embedding (32000 x 4096), bf16; KV of the mean context,
    # 512 + 256/2 tokens, 2 x 32 x 32 x 128 x 2 bytes each.
    weights = (6.74e9 - 32000 * 4096) * 2
    kv = 640 * 2 * 32 * 32 * 128 * 2
    result = estimate(infer())
    assert result.decode_tokens_per_s == pytest.approx(A100_BW / (weights + kv))


def test_batch_amortizes_weight_reads() -> None:
    one = estimate(infer(batch=1))
    many = estimate(infer(batch=16))
    assert many.decode_tokens_per_s is not None and one.decode_tokens_per_s is not None
    assert many.decode_tokens_per_s < one.decode_tokens_per_s
    assert many.decode_tokens_per_s * 16 > one.decode_tokens_per_s * 8


def test_large_batch_decode_becomes_compute_bound() -> None:
    # At batch 4096 FLOPs (2N per token) outweigh the bytes; step = FLOPs / (peak x MFU).
    work = infer(batch=4096, input_tokens=8, output_tokens=8)
    mfu = matmul_efficiency(312.0, 2039.0)
    flops = 4096 * (2 * 6.74e9 + 4 * 32 * 4096 * 12)
    result = estimate(work)
    assert result.decode_tokens_per_s == pytest.approx(312e12 * mfu / flops)


def test_tensor_parallel_divides_the_stream_and_adds_two_all_reduces_per_layer() -> None:
    # A100 SXM: NVLink 3, 600 GB/s both ways; a ring all-reduce of one 16-bit token of
    # width 4096 sends 2 x 3/4 of it one way; latency floor grows per GPU past two.
    single = 1 / estimate(infer()).decode_tokens_per_s  # type: ignore[operator]
    step = 1 / estimate(infer(gpu_count=4)).decode_tokens_per_s  # type: ignore[operator]
    latency = ALLREDUCE_LATENCY_S + 2 * ALLREDUCE_LATENCY_PER_EXTRA_GPU_S
    traffic = 2 * 3 / 4 * 4096 * 2 / 300e9
    assert step == pytest.approx(single / 4 + 32 * 2 * (latency + traffic))


def test_pipeline_split_never_speeds_up_one_sequence() -> None:
    work = infer(model="Llama-3-8B", gpu="RTX4090", precision="fp16")
    one = estimate(work).decode_tokens_per_s
    split = estimate(infer(model="Llama-3-8B", gpu="RTX4090", precision="fp16", gpu_count=2))
    assert split.parallelism == "pipeline"       # no NVLink on a GeForce card
    assert split.decode_tokens_per_s is not None and one is not None
    assert split.decode_tokens_per_s < one


def test_prefill_is_compute_bound_for_long_prompts() -> None:
    work = infer(input_tokens=4096)
    mfu = matmul_efficiency(312.0, 2039.0)
    flops = 2 * 6.74e9 * 4096 + 2 * 32 * 4096 * 4096 * 4096
    assert estimate(work).prefill_tokens_per_s == pytest.approx(4096 * 312e12 * mfu / flops)


def test_throughput_counts_the_batch_and_includes_prefill() -> None:
    result = estimate(infer(batch=8))
    step = 1 / result.decode_tokens_per_s  # type: ignore[operator]
    prefill = 8 * 512 / result.prefill_tokens_per_s  # type: ignore[operator]
    assert result.throughput_tokens_per_s == pytest.approx(8 * 256 / (prefill + 256 * step))


def test_training_is_six_n_plus_attention_at_mfu() -> None:
    work = Workload(task="training", gpu="H100-SXM", model="Llama-2-7B", gpu_count=8,
                    input_tokens=4096)
    flops = 6 * 6.74e9 + 12 * 32 * 4096 * 4096
    mfu = matmul_efficiency(989.5, 3350.0)
    assert estimate(work).train_tokens_per_s == pytest.approx(8 * 989.5e12 * mfu / flops)


def test_lora_skips_weight_gradients() -> None:
    work = Workload(task="fine-tune", method="lora", gpu="H100-SXM", model="Llama-2-7B",
                    input_tokens=4096)
    adapters = lora_params(model_spec("Llama-2-7B"), 16)
    flops = 4 * 6.74e9 + 6 * adapters + 12 * 32 * 4096 * 4096
    mfu = matmul_efficiency(989.5, 3350.0)
    assert estimate(work).train_tokens_per_s == pytest.approx(989.5e12 * mfu / flops)


def test_mixtral_decode_reads_active_experts_only_at_batch_one() -> None:
    mixtral = estimate(infer(model="Mixtral-8x7B", gpu="H100-SXM", gpu_count=2))
    llama70 = estimate(infer(model="Llama-2-70B", gpu="H100-SXM", gpu_count=2))
    assert mixtral.decode_tokens_per_s > 3 * llama70.decode_tokens_per_s  # type: ignore[operator]


def test_time_and_cost_to_finish() -> None:
    result = estimate(infer(tokens=1e6, price_per_hour=4.0))
    hours = 1e6 / result.throughput_tokens_per_s / 3600  # type: ignore[operator]
    assert result.time_hours == pytest.approx(hours)
    assert result.usd_to_finish == pytest.approx(4.0 * hours)
    assert result.usd_per_million_tokens == pytest.approx(4.0 * hours)


def test_no_price_means_no_cost() -> None:
    result = estimate(infer(tokens=1e6))
    assert result.usd_per_million_tokens is None and result.usd_to_finish is None


def test_mfu_interpolates_between_the_published_anchors() -> None:
    assert matmul_efficiency(312.0, 2039.0) == pytest.approx(0.57, abs=0.005)
    assert matmul_efficiency(989.5, 3350.0) == pytest.approx(0.41, abs=0.005)
    assert 0.41 < matmul_efficiency(312.0, 1555.0) < 0.57
    assert matmul_efficiency(1979.0, 3350.0) == pytest.approx(0.30)


def test_fp8_inference_on_a100_falls_back_and_says_so() -> None:
    result = estimate(infer(precision="fp8"))
    assert result.hardware.peak_figure == "bf16_tflops"
    assert any("no FP8 units" in note for note in result.assumptions)


def test_fp8_training_on_a100_is_refused() -> None:
    with pytest.raises(MathInputError, match="fp8_tflops"):
        estimate(Workload(task="training", gpu="A100-80GB-SXM", model="Llama-2-7B",
                          precision="fp8"))


def test_gpu_without_published_bandwidth_is_refused_by_name() -> None:
    with pytest.raises(MathInputError, match="A800 has no published"):
        estimate(infer(gpu="A800"))


def test_generic_gpu_name_uses_its_slowest_variant_and_says_so() -> None:
    result = estimate(infer(gpu="A100-80GB"))
    assert result.hardware.mem_bw_gbs == 1935.0
    assert any("A100-80GB-PCIe" in note for note in result.assumptions)


def test_gpu_without_tensor_figure_falls_back_to_fp32_and_says_so() -> None:
    from mathcore.gpus import GPU_SPECS

    candidates = [s.name for s in GPU_SPECS.values() if s.mem_bw_gbs and s.memory_gb
                  and s.fp32_tflops and not (s.bf16_tflops or s.fp16_tflops)]
    if not candidates:
        pytest.skip("every GPU with bandwidth has a 16-bit tensor figure")
    result = estimate(infer(gpu=candidates[0], model="Phi-3-mini"))
    assert result.hardware.peak_figure == "fp32_tflops"
    assert any("lower bound" in note for note in result.assumptions)
