"""Memory breakdown, fit and minimum GPU count, against hand-computed values."""

import subprocess
import sys

import pytest

from mathcore.errors import MathInputError
from mathcore.estimator import Workload, estimate, lora_params
from mathcore.llm_models import model_spec

GB = 1e9


def infer(**overrides: object) -> Workload:
    fields: dict[str, object] = {"task": "inference", "gpu": "A100-80GB-SXM",
                                 "model": "Llama-2-7B", "input_tokens": 512,
                                 "output_tokens": 256}
    fields.update(overrides)
    return Workload(**fields)  # type: ignore[arg-type]


def tune(**overrides: object) -> Workload:
    fields: dict[str, object] = {"task": "fine-tune", "gpu": "A100-80GB-SXM",
                                 "model": "Llama-2-7B", "input_tokens": 2048}
    fields.update(overrides)
    return Workload(**fields)  # type: ignore[arg-type]


def test_estimator_imports_no_django() -> None:
    code = ("import sys, mathcore.estimator, mathcore.llm_models; "
            "sys.exit('django' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


@pytest.mark.parametrize(("precision", "bytes_per_param"), [
    ("fp32", 4), ("bf16", 2), ("fp16", 2), ("fp8", 1), ("int8", 1), ("int4", 0.5),
    ("fp4", 0.5)])
def test_weights_are_params_times_bytes(precision: str, bytes_per_param: float) -> None:
    memory = estimate(infer(precision=precision)).memory
    assert memory.weights == pytest.approx(6.74e9 * bytes_per_param / GB)


def test_kv_cache_is_2_layers_kv_heads_head_dim_bytes_tokens_batch() -> None:
    # Llama 2 7B: 32 layers, 32 KV heads of 128; 16-bit cache; 4096 tokens x batch 8.
    memory = estimate(infer(context_tokens=4096, batch=8)).memory
    assert memory.kv_cache == pytest.approx(2 * 32 * 32 * 128 * 2 * 4096 * 8 / GB)


def test_grouped_query_attention_shrinks_the_kv_cache() -> None:
    # Llama 2 70B keeps 8 KV heads for 64 query heads; fp8 cache is 1 byte per element.
    work = infer(model="Llama-2-70B", precision="fp8", context_tokens=1000, batch=2)
    assert estimate(work).memory.kv_cache == pytest.approx(2 * 80 * 8 * 128 * 1 * 2000 / GB)


def test_inference_has_no_optimizer_and_one_context_per_gpu() -> None:
    memory = estimate(infer(gpu_count=4, model="Llama-2-70B")).memory
    assert memory.optimizer == 0
    assert memory.overhead == pytest.approx(4 * 0.8)


def test_full_fine_tune_keeps_14_more_bytes_per_parameter() -> None:
    # bf16 weights (2) + gradients (2) + fp32 master, Adam m and v (12): 16 bytes in all.
    memory = estimate(tune()).memory
    assert memory.weights == pytest.approx(2 * 6.74)
    assert memory.optimizer == pytest.approx(14 * 6.74)


def test_fp32_training_keeps_gradients_and_two_moments() -> None:
    assert estimate(tune(precision="fp32")).memory.optimizer == pytest.approx(12 * 6.74)


def test_lora_trains_adapters_on_every_projection() -> None:
    # Per layer r x (d_in + d_out): q, o: 4096+4096; k, v: 4096+4096; gate, up, down:
    # 4096+11008. Llama 2 7B, 32 layers, r = 16.
    per_layer = 2 * 8192 + 2 * 8192 + 3 * (4096 + 11008)
    assert lora_params(model_spec("Llama-2-7B"), 16) == 16 * per_layer * 32
    memory = estimate(tune(method="lora")).memory
    assert memory.weights == pytest.approx(13.48)
    assert memory.optimizer == pytest.approx(16 * per_layer * 32 * 16 / GB)


def test_qlora_stores_the_base_in_4_127_bits() -> None:
    memory = estimate(tune(method="qlora", model="Llama-2-70B")).memory
    assert memory.weights == pytest.approx(68.98e9 * 4.127 / 8 / GB)


def test_training_activations_are_per_gpu_micro_batch() -> None:
    # 2 bytes kept per layer per token per hidden unit + 34 for the layer being recomputed.
    one = estimate(tune(batch=1)).memory.activations
    assert one == pytest.approx(2048 * 4096 * (2 * 32 + 34) / GB)
    assert estimate(tune(batch=1, gpu_count=4)).memory.activations == pytest.approx(4 * one)


def test_total_is_the_sum_of_its_parts() -> None:
    memory = estimate(tune(method="lora")).memory
    parts = (memory.weights + memory.kv_cache + memory.optimizer + memory.activations
             + memory.overhead)
    assert memory.total == pytest.approx(parts)


def test_seventy_b_in_bf16_needs_two_80gb_gpus() -> None:
    result = estimate(infer(model="Llama-2-70B"))
    assert not result.fits and result.min_gpus == 2
    assert estimate(infer(model="Llama-2-70B", gpu_count=2)).fits


def test_405b_in_bf16_needs_sixteen_h100s() -> None:
    # 811.7 GB of weights: 8 GPUs hold 101 GB each, 16 hold 51 GB.
    result = estimate(infer(model="Llama-3.1-405B", gpu="H100-SXM"))
    assert result.min_gpus == 16


def test_seven_b_full_fine_tune_does_not_fit_one_a100() -> None:
    result = estimate(tune())
    assert not result.fits and result.min_gpus == 2


def test_qlora_70b_fits_one_80gb_gpu() -> None:
    result = estimate(tune(method="qlora", model="Llama-2-70B", input_tokens=1024))
    assert result.fits and result.min_gpus == 1


def test_params_b_borrows_the_nearest_known_shape_and_says_so() -> None:
    result = estimate(infer(model=None, params_b=13.0))
    assert result.memory.weights == pytest.approx(26.0)
    assert any("Llama-2-13B" in note for note in result.assumptions)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"task": "serve"}, "unknown task 'serve'"),
    ({"precision": "fp2"}, "unknown precision 'fp2'"),
    ({"mode": "offline"}, "unknown mode 'offline'"),
    ({"parallelism": "expert"}, "unknown parallelism 'expert'"),
    ({"max_batch": 0}, "max_batch must be"),
    ({"concurrency": 0}, "concurrency must be"),
    ({"method": "dora"}, "unknown method 'dora'"),
    ({"params_b": 7.0}, "not both"),
    ({"model": None}, "either model"),
    ({"batch": 0}, "batch must be"),
    ({"gpu_count": 0}, "gpu_count must be"),
    ({"input_tokens": -5}, "input_tokens must be"),
    ({"price_per_hour": -1.0}, "price_per_hour must be"),
    ({"tokens": float("nan")}, "tokens must be"),
    ({"method": "lora"}, "applies to task 'fine-tune'"),
    ({"params_b": -3.0, "model": None}, "params_b must be"),
])
def test_bad_inference_inputs_name_the_field(overrides: dict[str, object],
                                             message: str) -> None:
    with pytest.raises(MathInputError, match=message):
        infer(**overrides)


def test_int4_cannot_train_full_weights() -> None:
    with pytest.raises(MathInputError, match="cannot train weights"):
        tune(precision="int4")


def test_unknown_gpu_and_model_are_named() -> None:
    with pytest.raises(MathInputError, match="'B900'"):
        estimate(infer(gpu="B900"))
    with pytest.raises(MathInputError, match="'llama-9-1b'"):
        estimate(infer(model="llama-9-1b"))
