"""GPU datasheet facts, each figure with its source."""

from __future__ import annotations

import dataclasses
from typing import Any

from common.errors import NotFound
from mathcore.errors import MathInputError
from mathcore.gpus import GPU_SPECS, GpuSpec, gpu_spec
from workload.services.estimate import gpu_canonical, gpu_unknown_message


def gpu_as_dict(spec: GpuSpec) -> dict[str, Any]:
    data = dataclasses.asdict(spec)
    data["sources"], data["variants"] = list(spec.sources), list(spec.variants)
    return data


def gpus_list() -> list[dict[str, Any]]:
    return [gpu_as_dict(spec) for spec in GPU_SPECS.values()]


def gpu_get(*, name: str) -> dict[str, Any]:
    try:
        return gpu_as_dict(gpu_spec(gpu_canonical(name)))
    except MathInputError as exc:
        raise NotFound(gpu_unknown_message(name)) from exc
