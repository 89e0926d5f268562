"""What the estimator is asked: the Workload value object and its checks.

A workload is an LLM job (inference, training or fine-tune) of one model on `gpu_count`
GPUs of one kind. Sizes are in tokens; the model is a known name (`mathcore.llm_models`)
or a parameter count in billions. Every bad value raises MathInputError naming the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mathcore.errors import MathInputError

TASKS = ("inference", "training", "fine-tune")
METHODS = ("full", "lora", "qlora")
MODES = ("latency", "throughput")
PARALLELISMS = ("tensor", "pipeline")
# Inference runtimes. Those that capture a decode step in a CUDA graph (or run a compiled
# engine) pay no per-kernel launch cost; llama.cpp launches kernel by kernel before CUDA
# graphs (builds before May 2024, or built without GGML_CUDA_USE_GRAPHS) and, in later
# builds, under its row split (tensor parallel; mathcore.estimator.parallel).
GRAPH_RUNTIMES = ("tensorrt-llm", "vllm", "sglang", "nim", "gpt-fast")
# llama.cpp (either build) decodes quantized weights with its own kernels (roofline).
LLAMACPP_RUNTIMES = ("llama.cpp", "llama.cpp-no-graphs")
RUNTIMES = (*GRAPH_RUNTIMES, *LLAMACPP_RUNTIMES)
# Bytes per stored weight. int4/fp4 are the packed 4-bit payload; scales are extra (memory).
BYTES_PER_PARAM = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5,
                   "fp4": 0.5}
PRECISIONS = tuple(BYTES_PER_PARAM)
TRAIN_PRECISIONS = ("fp32", "bf16", "fp16", "fp8")
MAX_GPUS = 32768
MAX_TOKENS_PER_SEQUENCE = 1_048_576
DEFAULT_MAX_BATCH = 256


@dataclass(frozen=True)
class Workload:
    """An LLM job to size and time.

    task: "inference", "training" (pre-training, full weights) or "fine-tune".
    gpu: canonical GPU name (`mathcore.gpus`); gpu_count: GPUs working together.
    model: known model name, or params_b: parameters in billions (give one).
    precision: weight/compute type; int8/int4 mean weight-only quantized inference; fp4
        is Blackwell NVFP4/MXFP4 (weights and math), answered with its fallback elsewhere.
    method: "full", "lora" or "qlora" (the last two only for fine-tune).
    batch: sequences processed together (per step; for training, per GPU micro-batch).
    input_tokens / output_tokens: prompt and generated tokens per sequence (inference).
    context_tokens: KV cache length per sequence (inference, default input+output) or
        training sequence length (default input_tokens).
    tokens: total tokens to process, for time_hours and usd_to_finish (None: not asked).
    price_per_hour: USD per hour for all gpu_count GPUs together (an offer's price).
    lora_rank: adapter rank r for lora/qlora.
    mode: inference only. "latency": the `batch` given; "throughput": the batch a
        continuous-batching server runs (as many sequences as the KV cache holds, capped
        by `concurrency` when given and by `max_batch`).
    parallelism: how gpu_count GPUs split a model for inference: "tensor" or "pipeline"
        (layers); None picks tensor on NVLink/Infinity Fabric parts, pipeline elsewhere.
    runtime: inference software (RUNTIMES); None: a serving engine that captures its
        decode steps in CUDA graphs (vLLM, TensorRT-LLM, SGLang), no launch overhead.
    """

    task: str
    gpu: str
    model: str | None = None
    params_b: float | None = None
    precision: str = "bf16"
    method: str = "full"
    batch: int = 1
    input_tokens: int = 512
    output_tokens: int = 256
    context_tokens: int | None = None
    tokens: float | None = None
    gpu_count: int = 1
    price_per_hour: float | None = None
    lora_rank: int = 16
    mode: str = "latency"
    parallelism: str | None = None
    concurrency: int | None = None
    max_batch: int = DEFAULT_MAX_BATCH
    runtime: str | None = None

    def __post_init__(self) -> None:
        _one_of("task", self.task, TASKS)
        _one_of("precision", self.precision, PRECISIONS)
        _one_of("method", self.method, METHODS)
        _one_of("mode", self.mode, MODES)
        if self.parallelism is not None:
            _one_of("parallelism", self.parallelism, PARALLELISMS)
        if self.runtime is not None:
            _one_of("runtime", self.runtime, RUNTIMES)
        self._check_model()
        self._check_sizes()
        self._check_method()

    @property
    def is_training(self) -> bool:
        return self.task != "inference"

    @property
    def sequence_tokens(self) -> int:
        """KV length (inference) or training sequence length, tokens."""
        if self.context_tokens is not None:
            return self.context_tokens
        if self.is_training:
            return self.input_tokens
        return self.input_tokens + self.output_tokens

    def _check_model(self) -> None:
        if (self.model is None) == (self.params_b is None):
            raise MathInputError("give either model (a known name) or params_b, not both")
        if self.params_b is not None and not (0 < self.params_b <= 10_000):
            raise MathInputError(f"params_b must be in (0, 10000] billions, "
                                 f"got {self.params_b!r}")
        if not self.gpu:
            raise MathInputError("gpu is required")

    def _check_sizes(self) -> None:
        _int_in("batch", self.batch, 1, 1_000_000)
        _int_in("gpu_count", self.gpu_count, 1, MAX_GPUS)
        _int_in("input_tokens", self.input_tokens, 1, MAX_TOKENS_PER_SEQUENCE)
        _int_in("output_tokens", self.output_tokens, 0 if self.is_training else 1,
                MAX_TOKENS_PER_SEQUENCE)
        _int_in("lora_rank", self.lora_rank, 1, 4096)
        if self.context_tokens is not None:
            _int_in("context_tokens", self.context_tokens, 1, MAX_TOKENS_PER_SEQUENCE)
        if self.tokens is not None:
            _positive("tokens", self.tokens)
        if self.price_per_hour is not None:
            _positive("price_per_hour", self.price_per_hour)
        _int_in("max_batch", self.max_batch, 1, 1_000_000)
        if self.concurrency is not None:
            _int_in("concurrency", self.concurrency, 1, 1_000_000)

    def _check_method(self) -> None:
        if self.mode == "throughput" and self.is_training:
            raise MathInputError("mode 'throughput' applies to task 'inference' only")
        if self.method != "full" and self.task != "fine-tune":
            raise MathInputError(f"method {self.method!r} applies to task 'fine-tune' only")
        if self.is_training and self.method != "qlora" and self.precision not in \
                TRAIN_PRECISIONS:
            raise MathInputError(f"precision {self.precision!r} cannot train weights; use "
                                 f"one of {', '.join(TRAIN_PRECISIONS)} (or method 'qlora')")


def _one_of(name: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise MathInputError(f"unknown {name} {value!r}; expected one of {', '.join(allowed)}")


def _int_in(name: str, value: int, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise MathInputError(f"{name} must be an integer in [{low}, {high}], got {value!r}")


def _positive(name: str, value: float) -> None:
    if isinstance(value, bool) or not math.isfinite(value) or value <= 0:
        raise MathInputError(f"{name} must be a finite number > 0, got {value!r}")
