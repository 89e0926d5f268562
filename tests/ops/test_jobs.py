"""Every background job run is counted by outcome and timed (gpubroker_job_* metrics)."""

from __future__ import annotations

import pytest
from prometheus_client import REGISTRY

from common.jobs import job_run


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_runs_are_counted_by_outcome_and_timed() -> None:
    ok0 = _value("gpubroker_job_runs_total", job="unit", outcome="ok")
    failed0 = _value("gpubroker_job_runs_total", job="unit", outcome="failed")
    count0 = _value("gpubroker_job_duration_seconds_count", job="unit")
    with job_run("unit"):
        pass
    with pytest.raises(RuntimeError), job_run("unit"):
        raise RuntimeError("boom")
    assert _value("gpubroker_job_runs_total", job="unit", outcome="ok") == ok0 + 1
    assert _value("gpubroker_job_runs_total", job="unit", outcome="failed") == failed0 + 1
    assert _value("gpubroker_job_duration_seconds_count", job="unit") == count0 + 2
