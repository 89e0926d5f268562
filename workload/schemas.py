"""Request and response schemas of the workload endpoints (`/api/v2/math/...`).

Names and units follow mathcore.estimator.Workload; enumerations (task, precision,
method) stay plain strings so that mathcore names the bad value in a 400.
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from common.schemas import StrictIn


class _WorkloadFields(StrictIn):
    task: str = Field(..., description="inference, training or fine-tune")
    model: str | None = Field(None, description="known model name, e.g. llama-3.1-70b")
    params_b: float | None = Field(None, description="parameters in billions (instead of model)")
    precision: str = Field("bf16", description="fp32, bf16, fp16, fp8, fp4, int8 or int4")
    method: str = Field("full", description="full, lora or qlora (fine-tune)")
    batch: int | None = Field(None, description="sequences processed together (training: "
                                                "per GPU micro-batch); default 1")
    mode: str | None = Field(None, description="inference: latency (the batch given) or "
                                               "throughput (the batch a continuous-"
                                               "batching server runs at load)")
    parallelism: str | None = Field(None, description="tensor or pipeline; default tensor "
                                                      "on NVLink/Infinity Fabric parts")
    concurrency: int | None = Field(None, description="throughput mode: users at most")
    max_batch: int | None = Field(None, description="throughput mode: the server's batch "
                                                    "cap (default 256)")
    runtime: str | None = Field(None, description="inference software: tensorrt-llm, vllm, "
                                                  "sglang, nim, gpt-fast, llama.cpp or "
                                                  "llama.cpp-no-graphs; default: a serving "
                                                  "engine with CUDA graphs (no launch cost)")
    input_tokens: int = Field(512, description="prompt tokens (training: sequence length)")
    output_tokens: int = Field(256, description="generated tokens per sequence")
    context_tokens: int | None = Field(None, description="KV cache / training sequence length")
    tokens: float | None = Field(None, description="tokens to process in all (time and cost)")
    gpu_count: int = Field(1, description="GPUs working together")
    price_per_hour: float | None = Field(None, description="USD per hour for all the GPUs")
    lora_rank: int = Field(16, description="adapter rank for lora/qlora")


class WorkloadIn(_WorkloadFields):
    gpu: str = Field(..., description="canonical GPU name, e.g. H100-SXM (GET /gpus)")


class MemoryOut(Schema):
    weights: float
    kv_cache: float
    optimizer: float
    activations: float
    overhead: float
    total: float


class EstimateOut(Schema):
    task: str
    model: str
    params_b: float
    precision: str
    method: str
    gpu: str
    gpu_count: int
    fits: bool
    memory_gb: MemoryOut
    memory_per_gpu_gb: float
    gpu_memory_gb: float
    min_gpus: int | None
    mode: str
    parallelism: str
    runtime: str | None = None
    batch_used: int | None
    kv_cache_gb: float
    decode_tokens_per_s: float | None
    prefill_tokens_per_s: float | None
    throughput_tokens_per_s: float | None
    time_to_first_token_s: float | None
    per_user_tokens_per_s: float | None
    train_tokens_per_s: float | None
    time_hours: float | None
    usd_per_million_tokens: float | None
    usd_to_finish: float | None
    efficiency: dict[str, float]
    assumptions: list[str]


class CostPerTokenIn(StrictIn):
    price_per_hour: float = Field(..., description="USD per hour for all the GPUs")
    gpu: str
    gpu_count: int = 1
    model: str | None = None
    params_b: float | None = None
    precision: str = "bf16"
    batch: int | None = Field(None, description="given: latency mode at this batch")
    mode: str | None = Field(None, description="throughput (default) or latency")
    parallelism: str | None = None
    concurrency: int | None = None
    max_batch: int | None = None
    runtime: str | None = Field(None, description="inference software (see /estimate)")
    input_tokens: int = 512
    output_tokens: int = 256


class CostPerTokenOut(Schema):
    mode: str
    batch_used: int | None
    usd_per_million_tokens: dict[str, float]
    usd_per_tflop_hour: float
    usd_per_gb_vram_hour: float
    usd_per_gpu_hour: float
    peak_tflops: float
    peak_figure: str
    throughput: dict[str, float | None]
    fits: bool
    min_gpus: int | None
    assumptions: list[str]


class GpuOut(Schema):
    name: str
    vendor: str
    kind: str
    memory_gb: float | None
    mem_bw_gbs: float | None
    bf16_tflops: float | None
    fp16_tflops: float | None
    fp8_tflops: float | None
    fp4_tflops: float | None
    fp32_tflops: float | None
    tdp_w: float | None
    interconnect: str | None
    sources: list[str]
    variants: list[str]


class QuestionOut(Schema):
    id: str
    label: str
    type: str
    default: Any
    min: float | None
    max: float | None
    options: list[str]
    unit: str | None


class TemplateOut(Schema):
    id: str
    title: str
    description: str
    estimate: str
    questions: list[QuestionOut]
    maps_to: dict[str, str]


class ApplyIn(StrictIn):
    answers: dict[str, Any] = Field(default_factory=dict)


class ApplyOut(Schema):
    workload: dict[str, Any]
    estimate: dict[str, Any]
    recommendations: list[dict[str, Any]]
    recommendation_notes: list[str]


class OfferWorkloadIn(_WorkloadFields):
    gpu: str | None = Field(None, description="ignored: each offer's GPU is used")


class RecommendIn(StrictIn):
    workload: OfferWorkloadIn = Field(..., description="gpu, gpu_count and price_per_hour "
                                                       "come from each offer")
    filters: dict[str, Any] | None = Field(None, description="GET /providers/ filters")
    weights: dict[str, float] | None = Field(None, description="cost, speed, headroom")
    limit: int = Field(10, ge=1, le=100)
    group: bool = Field(True, description="one item for offers that differ only by region "
                                          "(its regions listed); false: one item per offer")


class RecommendOut(Schema):
    items: list[dict[str, Any]]
    fitting: int
    skipped: dict[str, int]
    weights: dict[str, float]
    notes: list[str]
