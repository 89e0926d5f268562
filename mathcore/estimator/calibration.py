"""Published measurements the estimator is fitted on and scored against, one CSV row each.

`measurements.csv` (next to this module) holds every row: what was measured (GPU, count,
model, precision, batch or mode, lengths), the measured value, its source, and its set:
`fit` rows are the ones the efficiency factors were taken from (mathcore.estimator.
efficiency names them); `score` rows were never used to choose a factor. `gpubroker
bench-gpu --csv` writes its own measurements in the same columns (set `device`).

`evaluate` runs the estimator on a row's workload; `plain_roofline` gives what datasheet
peaks alone would say (no efficiency factor, no communication), the baseline the
estimator must beat. `median_errors` summarises both per scenario and set.
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from mathcore.errors import MathInputError
from mathcore.estimator.bounds import plain_roofline
from mathcore.estimator.estimate import estimate, resolve_model
from mathcore.estimator.roofline import train_flops_per_token
from mathcore.estimator.workload import Workload

CSV_PATH = Path(__file__).with_name("measurements.csv")
SETS = ("fit", "score", "device")
METRICS = ("decode_tokens_per_s", "prefill_tokens_per_s", "throughput_tokens_per_s",
           "train_tokens_per_s", "train_tflops_per_gpu")


@dataclass(frozen=True)
class Measurement:
    """One published (or bench-gpu) measurement. Empty optional cells are None/default."""

    scenario: str
    set: str
    what: str
    task: str
    gpu: str
    gpu_count: int
    model: str
    precision: str
    method: str
    mode: str
    parallelism: str
    batch: int
    input_tokens: int
    output_tokens: int
    max_batch: int
    metric: str
    per_gpu: bool
    measured: float
    source: str

    def workload(self) -> Workload:
        params_b = float(self.model) if _is_number(self.model) else None
        return Workload(
            task=self.task, gpu=self.gpu, gpu_count=self.gpu_count,
            model=None if params_b is not None else self.model, params_b=params_b,
            precision=self.precision, method=self.method, mode=self.mode,
            parallelism=self.parallelism or None, batch=self.batch,
            input_tokens=self.input_tokens, output_tokens=self.output_tokens,
            max_batch=self.max_batch)


COLUMNS = tuple(f.name for f in fields(Measurement))


def load(path: Path = CSV_PATH) -> tuple[Measurement, ...]:
    """Every row of a measurements CSV."""
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(parse(row) for row in csv.DictReader(handle))


def parse(row: dict[str, str]) -> Measurement:
    ints = ("gpu_count", "batch", "input_tokens", "output_tokens", "max_batch")
    values: dict[str, object] = dict(row)
    for name in ints:
        values[name] = int(row[name])
    values["per_gpu"] = row["per_gpu"].strip().lower() == "true"
    values["measured"] = float(row["measured"])
    item = Measurement(**values)  # type: ignore[arg-type]
    if item.set not in SETS or item.metric not in METRICS:
        raise ValueError(f"bad set or metric in row {item.what!r}")
    return item


def write(rows: Iterable[Measurement], handle: object) -> None:
    """Rows as CSV with the header (`handle`: an open text file or sys.stdout)."""
    writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")  # type: ignore[arg-type]
    writer.writeheader()
    for row in rows:
        writer.writerow({name: getattr(row, name) for name in COLUMNS})


@dataclass(frozen=True)
class Result:
    row: Measurement
    estimated: float | None
    roofline: float | None
    skipped: str | None = None

    @property
    def error(self) -> float:
        assert self.estimated is not None
        return (self.estimated - self.row.measured) / self.row.measured

    @property
    def roofline_error(self) -> float:
        assert self.roofline is not None
        return (self.roofline - self.row.measured) / self.row.measured


def evaluate(row: Measurement) -> Result:
    """The estimator's and the plain roofline's value of the row's metric."""
    try:
        result = estimate(row.workload())
    except MathInputError as exc:
        return Result(row, None, None, skipped=str(exc))
    scale = row.workload().gpu_count if row.per_gpu else 1
    if row.metric == "train_tflops_per_gpu":
        model, _ = resolve_model(row.workload())
        value = result.tokens_per_s / result.workload.gpu_count * train_flops_per_token(
            row.workload(), model) / 1e12
    else:
        value = getattr(result, row.metric)
    bound = plain_roofline(row.workload(), result, row.metric)
    return Result(row, None if value is None else value / scale,
                  None if bound is None else bound / scale)


def median_errors(results: Sequence[Result], scenario: str,
                  which: str) -> tuple[float, float, int]:
    """(estimator, plain roofline) median |relative error| and row count of a scenario's
    `which` set ("fit", "score" or "all")."""
    chosen = [r for r in results if r.row.scenario == scenario and not r.skipped
              and (which == "all" or r.row.set == which)]
    if not chosen:
        return float("nan"), float("nan"), 0
    est = statistics.median(abs(r.error) for r in chosen)
    plain = statistics.median(abs(r.roofline_error) for r in chosen)
    return est, plain, len(chosen)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
