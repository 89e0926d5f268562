"""Prometheus metrics and a log line for every background job run (scheduler threads,
Celery tasks): ``with job_run("sync"): ...`` counts the run by outcome and times it.
``backoff_s`` is the one retry schedule of failed runs (doubling from a base, capped)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Histogram

JOB_RUNS = Counter("gpubroker_job_runs_total", "Background job runs", ["job", "outcome"])
JOB_DURATION = Histogram("gpubroker_job_duration_seconds", "Background job run time", ["job"],
                         buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900))
log = logging.getLogger("gpubroker.jobs")


@contextmanager
def job_run(job: str) -> Iterator[None]:
    """Time and count one run of ``job``; an exception counts as ``failed`` and propagates."""
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        JOB_RUNS.labels(job, "failed").inc()
        log.warning("job %s failed after %.2fs", job, time.perf_counter() - started)
        raise
    finally:
        JOB_DURATION.labels(job).observe(time.perf_counter() - started)
    JOB_RUNS.labels(job, "ok").inc()
    log.info("job %s done in %.2fs", job, time.perf_counter() - started)


def backoff_s(retries: int, *, base_s: float, cap_s: float) -> float:
    """Seconds before retry ``retries + 1`` of a failed run: ``base_s`` doubling, at most
    ``cap_s``."""
    return float(min(base_s * 2 ** retries, cap_s))
