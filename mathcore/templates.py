"""Workload templates: a few questions in plain words, mapped onto an estimator workload.

Each template asks questions with defaults and bounds, and turns the answers into the
fields of `mathcore.estimator.Workload` (`template_workload`). Image generation and
transcription cannot be timed from published facts here: their templates estimate
memory fit only, from the parameter counts on the models' cards (`memory_only_gb`).
Unknown template ids and out-of-range answers raise MathInputError naming them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mathcore.errors import MathInputError
from mathcore.llm_models import MODEL_SPECS

_MODELS = tuple(MODEL_SPECS)
_PRECISIONS_INFER = ("bf16", "fp16", "fp8", "fp4", "int8", "int4")
_PRECISIONS_TRAIN = ("bf16", "fp16", "fp8", "fp32")


@dataclass(frozen=True)
class Question:
    """One question: `kind` is "choice", "integer", "number" or "text"."""

    id: str
    label: str
    kind: str
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    options: tuple[str, ...] = ()
    unit: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "type": self.kind, "default": self.default,
                "min": self.minimum, "max": self.maximum, "options": list(self.options),
                "unit": self.unit}


@dataclass(frozen=True)
class MemoryOnlyModel:
    """A non-LLM model sized from its card: parameters in billions, with the source."""

    name: str
    params_b: float
    source: str


@dataclass(frozen=True)
class Template:
    id: str
    title: str
    description: str
    questions: tuple[Question, ...]
    maps_to: Mapping[str, str]
    build: Callable[[dict[str, Any]], dict[str, Any]] = field(repr=False)
    memory_only: MemoryOnlyModel | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "description": self.description,
                "estimate": "memory fit only" if self.memory_only else "full",
                "questions": [q.as_dict() for q in self.questions],
                "maps_to": dict(self.maps_to)}


def _gpu_questions(default_gpu: str, default_count: int = 1) -> tuple[Question, ...]:
    return (Question("gpu", "Which GPU? (canonical name, e.g. H100-SXM, A100-80GB, L40S)",
                     "text", default_gpu),
            Question("gpu_count", "How many of them work together?", "integer",
                     default_count, 1, 1024))


def _model(default: str) -> Question:
    return Question("model", "Which model?", "choice", default, options=_MODELS)


def _precision(default: str, options: tuple[str, ...]) -> Question:
    return Question("precision", "Weights stored in", "choice", default, options=options)


_PRICE = Question("price_per_hour", "Price of all the GPUs per hour (optional)", "number",
                  None, 0.0, 10_000.0, unit="USD/h")
_GPU_MAP = {"gpu": "gpu", "gpu_count": "gpu_count", "price_per_hour": "price_per_hour"}


def _common(a: dict[str, Any]) -> dict[str, Any]:
    return {"gpu": a["gpu"], "gpu_count": a["gpu_count"], "price_per_hour": a["price_per_hour"]}


def _chat(a: dict[str, Any]) -> dict[str, Any]:
    return {"task": "inference", "model": a["model"], "precision": a["precision"],
            "mode": "throughput", "concurrency": a["concurrent_users"],
            "input_tokens": a["prompt_tokens"], "output_tokens": a["reply_tokens"],
            "tokens": a["monthly_tokens"], **_common(a)}


def _batch(a: dict[str, Any]) -> dict[str, Any]:
    return {"task": "inference", "model": a["model"], "precision": a["precision"],
            "batch": a["batch"], "input_tokens": a["input_tokens"],
            "output_tokens": a["output_tokens"], "tokens": a["tokens_to_generate"],
            **_common(a)}


def _tuner(method: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def build(a: dict[str, Any]) -> dict[str, Any]:
        extra = {"lora_rank": a["lora_rank"]} if method != "full" else {}
        return {"task": "fine-tune", "method": method, "model": a["model"],
                "precision": a.get("precision", "bf16"), "batch": a["batch"],
                "input_tokens": a["sequence_tokens"], "output_tokens": 0,
                "tokens": a["dataset_tokens"] * a["epochs"], **extra, **_common(a)}
    return build


def _pretrain(a: dict[str, Any]) -> dict[str, Any]:
    return {"task": "training", "params_b": a["params_b"], "precision": a["precision"],
            "batch": a["batch"], "input_tokens": a["sequence_tokens"], "output_tokens": 0,
            "tokens": a["training_tokens"], **_common(a)}


def _memory_only(a: dict[str, Any]) -> dict[str, Any]:
    return {"task": "inference", "precision": a["precision"], "batch": a["batch"],
            **_common(a)}


def _tune_questions(model: str, batch: int, extra: tuple[Question, ...]) -> tuple[
        Question, ...]:
    return (_model(model),
            Question("dataset_tokens", "Tokens in the training set", "number", 50e6, 1e3,
                     1e13, unit="tokens"),
            Question("epochs", "Passes over the data", "integer", 3, 1, 100),
            Question("sequence_tokens", "Sequence length", "integer", 2048, 128, 131072,
                     unit="tokens"),
            Question("batch", "Sequences per GPU per step (micro-batch)", "integer", batch,
                     1, 512),
            *extra, *_gpu_questions("A100-80GB"), _PRICE)


_RANK = Question("lora_rank", "LoRA rank r", "integer", 16, 1, 1024)
_TUNE_MAP = {"model": "model", "dataset_tokens x epochs": "tokens",
             "sequence_tokens": "input_tokens (training sequence length)", "batch": "batch",
             **_GPU_MAP}
_SDXL = MemoryOnlyModel(
    "SDXL 1.0 (base + refiner)", 6.6,
    "https://huggingface.co/stabilityai/stable-diffusion-xl-base-1.0 (SDXL base 1.0 model "
    "card: 3.5B-parameter base model, 6.6B-parameter base + refiner ensemble pipeline)")
_WHISPER = MemoryOnlyModel(
    "Whisper large-v3", 1.55,
    "https://huggingface.co/openai/whisper-large-v3 (Whisper large-v3 model card: 1550M "
    "parameters); https://arxiv.org/abs/2212.04356 (Radford et al. 2022, Table 1)")

TEMPLATES: tuple[Template, ...] = (
    Template("llm-chat", "LLM chat inference",
             "A chat assistant serving several users at once: per-user speed, throughput, "
             "cost per million tokens and cost of a month's tokens.",
             (_model("Llama-3.1-8B"), _precision("bf16", _PRECISIONS_INFER),
              Question("concurrent_users", "Users generating at the same time", "integer",
                       8, 1, 4096),
              Question("prompt_tokens", "Prompt + history tokens per request", "integer",
                       1024, 1, 131072, unit="tokens"),
              Question("reply_tokens", "Reply tokens per request", "integer", 256, 1, 32768,
                       unit="tokens"),
              Question("monthly_tokens", "Tokens generated per month", "number", 100e6, 1,
                       1e13, unit="tokens"),
              *_gpu_questions("H100-SXM"), _PRICE),
             {"model": "model", "precision": "precision",
              "concurrent_users": "concurrency (mode throughput)",
              "prompt_tokens": "input_tokens", "reply_tokens": "output_tokens",
              "monthly_tokens": "tokens", **_GPU_MAP}, _chat),
    Template("batch-inference", "Batch inference",
             "Offline generation over a large set of prompts at a high batch size: "
             "throughput, hours and cost to finish.",
             (_model("Llama-3.1-70B"), _precision("fp8", _PRECISIONS_INFER),
              Question("batch", "Sequences generated together", "integer", 64, 1, 4096),
              Question("input_tokens", "Prompt tokens per item", "integer", 1024, 1, 131072,
                       unit="tokens"),
              Question("output_tokens", "Generated tokens per item", "integer", 256, 1,
                       32768, unit="tokens"),
              Question("tokens_to_generate", "Tokens to generate in all", "number", 1e9, 1,
                       1e14, unit="tokens"),
              *_gpu_questions("H100-SXM", 2), _PRICE),
             {"model": "model", "precision": "precision", "batch": "batch",
              "input_tokens": "input_tokens", "output_tokens": "output_tokens",
              "tokens_to_generate": "tokens", **_GPU_MAP}, _batch),
    Template("lora-fine-tune", "LoRA fine-tune",
             "Train low-rank adapters on a frozen 16-bit model.",
             _tune_questions("Llama-3.1-8B", 4, (_RANK,)),
             {**_TUNE_MAP, "lora_rank": "lora_rank"}, _tuner("lora")),
    Template("qlora-fine-tune", "QLoRA fine-tune",
             "Train low-rank adapters on a 4-bit (NF4) frozen model: the cheapest way to "
             "fit a large model on one GPU.",
             _tune_questions("Llama-3.1-70B", 1, (_RANK,)),
             {**_TUNE_MAP, "lora_rank": "lora_rank"}, _tuner("qlora")),
    Template("full-fine-tune", "Full fine-tune",
             "Update every weight (AdamW, mixed precision): needs about 16 bytes of GPU "
             "memory per parameter plus activations.",
             _tune_questions("Llama-3.1-8B", 2, (_precision("bf16", _PRECISIONS_TRAIN),)),
             {**_TUNE_MAP, "precision": "precision"}, _tuner("full")),
    Template("pretraining", "Pre-training",
             "Train a model from scratch on a token budget.",
             (Question("params_b", "Model size", "number", 7.0, 0.01, 2000.0,
                       unit="billion parameters"),
              Question("training_tokens", "Training tokens", "number", 1e12, 1e6, 1e14,
                       unit="tokens"),
              Question("sequence_tokens", "Sequence length", "integer", 4096, 128, 131072,
                       unit="tokens"),
              Question("batch", "Sequences per GPU per step (micro-batch)", "integer", 1, 1,
                       512),
              _precision("bf16", _PRECISIONS_TRAIN), *_gpu_questions("H100-SXM", 64),
              _PRICE),
             {"params_b": "params_b", "training_tokens": "tokens",
              "sequence_tokens": "input_tokens (training sequence length)", "batch": "batch",
              "precision": "precision", **_GPU_MAP}, _pretrain),
    Template("image-generation", "Image generation (SDXL)",
             "Stable Diffusion XL base + refiner. Only memory fit is estimated: no "
             "published measurement here grounds a speed estimate.",
             (_precision("fp16", ("fp16", "bf16", "fp32")),
              Question("batch", "Images generated together", "integer", 1, 1, 64),
              *_gpu_questions("L4"), _PRICE),
             {"precision": "precision", "batch": "batch", **_GPU_MAP}, _memory_only, _SDXL),
    Template("transcription", "Speech transcription (Whisper large-v3)",
             "Whisper large-v3. Only memory fit is estimated: no published measurement "
             "here grounds a speed estimate.",
             (_precision("fp16", ("fp16", "bf16", "fp32")),
              Question("batch", "Audio chunks transcribed together", "integer", 1, 1, 256),
              *_gpu_questions("T4"), _PRICE),
             {"precision": "precision", "batch": "batch", **_GPU_MAP}, _memory_only,
             _WHISPER),
)

_BY_ID = {t.id: t for t in TEMPLATES}


def template(template_id: str) -> Template:
    found = _BY_ID.get(template_id)
    if found is None:
        raise MathInputError(f"unknown template {template_id!r}; templates: "
                             f"{', '.join(_BY_ID)}")
    return found


def template_answers(tmpl: Template, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers with defaults filled, each checked against its question."""
    unknown = sorted(set(answers) - {q.id for q in tmpl.questions})
    if unknown:
        raise MathInputError(f"template {tmpl.id!r} has no question {unknown[0]!r}")
    return {q.id: _checked(q, answers.get(q.id, q.default)) for q in tmpl.questions}


def template_workload(template_id: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The workload fields (`mathcore.estimator.Workload` keywords) the answers mean."""
    tmpl = template(template_id)
    return tmpl.build(template_answers(tmpl, answers))


def _checked(q: Question, value: Any) -> Any:
    if value is None:
        if q.default is None:
            return None
        raise MathInputError(f"answer {q.id!r} must not be null")
    if q.kind == "choice":
        return _choice(q, value)
    if q.kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise MathInputError(f"answer {q.id!r} must be a non-empty string")
        return value.strip()
    return _number(q, value)


def _choice(q: Question, value: Any) -> Any:
    if q.id == "model" and isinstance(value, str):
        return value   # the estimator's model lookup accepts many spellings
    if value not in q.options:
        raise MathInputError(f"answer {q.id!r} must be one of {', '.join(q.options)}, "
                             f"got {value!r}")
    return value


def _number(q: Question, value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(
            value):
        raise MathInputError(f"answer {q.id!r} must be a number, got {value!r}")
    if q.kind == "integer" and value != int(value):
        raise MathInputError(f"answer {q.id!r} must be an integer, got {value!r}")
    low = q.minimum if q.minimum is not None else -math.inf
    high = q.maximum if q.maximum is not None else math.inf
    if not low <= value <= high:
        raise MathInputError(f"answer {q.id!r} must be in [{q.minimum:g}, {q.maximum:g}], "
                             f"got {value!r}")
    return int(value) if q.kind == "integer" else float(value)


def memory_only_gb(model: MemoryOnlyModel, precision: str) -> float:
    """Weights of a memory-only template's model, GB (params x 2 or 4 bytes)."""
    bytes_per_param = 4.0 if precision == "fp32" else 2.0
    return model.params_b * bytes_per_param
