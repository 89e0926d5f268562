"""What the planner's form offers: known models, GPUs with datasheet figures and offers."""

from __future__ import annotations

from typing import Any

from market.query.index import offer_index
from mathcore.gpus import GPU_SPECS
from mathcore.llm_models import MODEL_SPECS

TASKS = (("inference", "Inference (serve a model)"), ("fine-tune", "Fine-tune"),
         ("training", "Training / pretraining"))
PRECISIONS = ("bf16", "fp16", "fp8", "int8", "int4", "fp32")
METHODS = (("full", "Full"), ("lora", "LoRA"), ("qlora", "QLoRA"))


def plan_context() -> dict[str, Any]:
    offered = {v for v in offer_index().text["gpu_name"].display if v}
    gpus = sorted(name for name in GPU_SPECS if name in offered) or sorted(GPU_SPECS)
    models = [{"name": name, "params_b": spec.params_b} for name, spec in
              sorted(MODEL_SPECS.items(), key=lambda kv: kv[1].params_b)]
    return {"tasks": TASKS, "precisions": PRECISIONS, "methods": METHODS, "gpus": gpus,
            "models": models}
