"""Workload estimator: GPU memory, speed, time and cost of an LLM job on a GPU kind.

Pure (standard library only). `estimate(Workload(...))` is the entry point; the parts:
`workload` (inputs and their checks), `hardware` (which datasheet peak applies),
`memory` (GB by part), `roofline` (decode/prefill/training time), `parallel` (tensor or
pipeline splits), `serving` (continuous batching at load), `efficiency` (the
published-measurement factors), `estimate` (putting them together), `cost` (USD per
million tokens at load), `bounds` (the plain roofline), `calibration` (the published
rows the factors are fitted on and scored against).
"""

from mathcore.estimator.cost import serving_at_load, usd_per_million_tokens_at_load
from mathcore.estimator.efficiency import (
    DECODE_BANDWIDTH_FRACTION,
    matmul_efficiency,
)
from mathcore.estimator.estimate import Estimate, estimate, min_gpus, resolve_model
from mathcore.estimator.hardware import Hardware, hardware_for
from mathcore.estimator.memory import MemoryBreakdown, lora_params, memory_breakdown
from mathcore.estimator.roofline import Model
from mathcore.estimator.workload import (
    METHODS,
    MODES,
    PARALLELISMS,
    PRECISIONS,
    TASKS,
    Workload,
)

__all__ = [
    "DECODE_BANDWIDTH_FRACTION",
    "METHODS",
    "MODES",
    "PARALLELISMS",
    "PRECISIONS",
    "TASKS",
    "Estimate",
    "Hardware",
    "MemoryBreakdown",
    "Model",
    "Workload",
    "estimate",
    "hardware_for",
    "lora_params",
    "matmul_efficiency",
    "memory_breakdown",
    "min_gpus",
    "resolve_model",
    "serving_at_load",
    "usd_per_million_tokens_at_load",
]
