"""Published measurements the estimator is fitted on and scored against, one CSV row each.

`measurements.csv` (next to this module) holds every row: what was measured (GPU, count,
model, precision, batch or mode, lengths), the measured value, its source, and its set:
`fit` rows are the ones the efficiency factors were taken from (mathcore.estimator.
efficiency names them); `score` rows were never used to choose a factor. `gpubroker
bench-gpu --csv` writes its own measurements in the same columns (set `device`).

`evaluate` runs the estimator on a row's workload; `plain_roofline` gives what datasheet
peaks alone would say (no efficiency factor, no communication), the baseline the
estimator must beat. `median_errors` summarises both per scenario and set.

`pcie_latency_fit_error`, `pipeline_hop_fit_error`, `launch_overhead_fit_error` and
`llamacpp_quantized_fit_error` are the criteria the PCIe all-reduce latency, the pipeline
hop, the kernel launch time per layer and llama.cpp's quantized decode factors were
fitted with (on fit rows only; the tests
check the shipped constants are their grid optimum): each recomputes a row's decode step
for other values of the factor, since communication adds to the step.
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

from mathcore.errors import MathInputError
from mathcore.estimator.bounds import plain_roofline
from mathcore.estimator.efficiency import (
    ALLREDUCE_LATENCY_PCIE_PER_EXTRA_GPU_S,
    ALLREDUCE_LATENCY_PCIE_S,
    ALLREDUCES_PER_LAYER,
    PIPELINE_HOP_S,
)
from mathcore.estimator.estimate import estimate, resolve_model
from mathcore.estimator.hardware import hardware_for
from mathcore.estimator.parallel import launches_kernels, split_for
from mathcore.estimator.roofline import (
    llamacpp_quantized_step_s,
    runs_llamacpp_quantized,
    train_flops_per_token,
)
from mathcore.estimator.workload import RUNTIMES, Workload

CSV_PATH = Path(__file__).with_name("measurements.csv")
SETS = ("fit", "score", "device")
# Prompt processing (tokens/s) of the RTX 3090 host whose llama.cpp row-split decode rows
# fit the PCIe latency, by (GPUs, model, precision), from the same table (LLaMA 2
# overview, "Average prompt eval speed", Dec 2023 snapshot; q4_0 rows are int4 here): a
# prompt token moves the same activations between the cards as a decoded one, so 1 / this
# is an upper bound of that host's transfer time per decoded token (compute is a few % of it).
FIT_HOST_PROMPT_TOKENS_PER_S = {
    (2, "Llama-2-7B", "fp16"): 247.31, (3, "Llama-2-7B", "fp16"): 231.55,
    (6, "Llama-2-7B", "fp16"): 87.62, (6, "Llama-2-70B", "fp16"): 14.8,
    (2, "Llama-2-7B", "int4"): 252.15, (3, "Llama-2-7B", "int4"): 236.49,
    (6, "Llama-2-7B", "int4"): 89.74, (2, "Llama-2-70B", "int4"): 48.46,
    (3, "Llama-2-70B", "int4"): 41.27, (6, "Llama-2-70B", "int4"): 14.8}
FIT_HOST_PROMPT_SOURCE = (
    "https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference (README at commit "
    "00dd2bd, LLaMA 2 overview, Average prompt eval speed, 3090 24GB * 2, * 3, * 6)")
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
    runtime: str = ""   # software that ran it, as the source states (inference: RUNTIMES)

    def workload(self) -> Workload:
        params_b = float(self.model) if _is_number(self.model) else None
        return Workload(
            task=self.task, gpu=self.gpu, gpu_count=self.gpu_count,
            model=None if params_b is not None else self.model, params_b=params_b,
            precision=self.precision, method=self.method, mode=self.mode,
            parallelism=self.parallelism or None, batch=self.batch,
            input_tokens=self.input_tokens, output_tokens=self.output_tokens,
            max_batch=self.max_batch,
            runtime=self.runtime if self.task == "inference" and self.runtime in RUNTIMES
            else None)


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
    values["runtime"] = row.get("runtime") or ""
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


def pcie_latency_fit_error(results: Sequence[Result], latency_s: float,
                           per_extra_gpu_s: float) -> float:
    """Median |error| of the fit rows split over PCIe by tensor parallelism (llama.cpp's row
    split on the fit host) with the all-reduce latency set to latency_s + per_extra_gpu_s
    per GPU past two, each estimated step plus the host's measured transfer time per token
    (FIT_HOST_PROMPT_TOKENS_PER_S): the latency is fitted apart from that host's slow link."""
    errors = []
    for result in results:
        row = result.row
        if not _pcie_tensor_fit_row(row) or result.estimated is None:
            continue
        layers = resolve_model(row.workload())[0].spec.layers
        extra = row.gpu_count - 2
        shift = layers * ALLREDUCES_PER_LAYER * (
            latency_s - ALLREDUCE_LATENCY_PCIE_S
            + (per_extra_gpu_s - ALLREDUCE_LATENCY_PCIE_PER_EXTRA_GPU_S) * extra)
        step = 1 / result.estimated + shift + 1 / FIT_HOST_PROMPT_TOKENS_PER_S[
            (row.gpu_count, row.model, row.precision)]
        errors.append(abs(1 / step - row.measured) / row.measured)
    return statistics.median(errors)


def pipeline_hop_fit_error(results: Sequence[Result], hop_s: float) -> float:
    """Median |error| of the slowdown a layer split causes (its speed / the same host's
    one-card speed for the same model and lengths) over fit rows that have a one-card fit
    row, with the hop per stage boundary set to hop_s. Fitting the ratio keeps the hop from
    absorbing the one-card bandwidth error of the host."""
    ones = {_run_key(r.row): r for r in results
            if r.row.set == "fit" and r.row.gpu_count == 1 and r.estimated is not None}
    errors = []
    for result in results:
        row = result.row
        one = ones.get(_run_key(row))
        if row.set != "fit" or row.parallelism != "pipeline" or one is None or \
                result.estimated is None or one.estimated is None:
            continue
        step = 1 / result.estimated + (row.gpu_count - 1) * (hop_s - PIPELINE_HOP_S)
        estimated = 1 / step / one.estimated
        measured = row.measured / one.row.measured
        errors.append(abs(estimated / measured - 1))
    return statistics.median(errors)


def launch_overhead_fit_error(results: Sequence[Result], per_layer_s: float) -> float:
    """Median |error| of one-GPU fit rows of a runtime that launches kernel by kernel,
    each estimated as its twin's measured speed (the same source, GPU and model run with
    CUDA graphs, a fit row) slowed by per_layer_s per layer. Starting from the twin's
    measurement leaves the bandwidth fraction out: the fit sees the launch time alone."""
    graphs = {_twin_key(r.row): r.row for r in results
              if r.row.set == "fit" and r.row.gpu_count == 1 and r.row.runtime == "llama.cpp"}
    errors = []
    for result in results:
        row = result.row
        twin = graphs.get(_twin_key(row))
        if row.set != "fit" or row.gpu_count != 1 or twin is None or \
                not launches_kernels(row.runtime, "single"):
            continue
        layers = resolve_model(row.workload())[0].spec.layers
        estimated = 1 / (1 / twin.measured + layers * per_layer_s)
        errors.append(abs(estimated / row.measured - 1))
    return statistics.median(errors)


def llamacpp_quantized_fit_error(results: Sequence[Result], fraction: float,
                                 ceiling_gbs: float, per_layer_s: float) -> float:
    """Median |error| of one-GPU fit rows of llama.cpp on quantized weights, each decode
    step recomputed with that bandwidth fraction, ceiling (GB/s) and time per layer (plus
    the launch time of a runtime without CUDA graphs, fitted apart)."""
    errors = []
    for result in results:
        row = result.row
        if row.set != "fit" or row.gpu_count != 1 or not _llamacpp_quantized(row):
            continue
        workload = row.workload()
        hw = hardware_for(workload)[0]
        model = resolve_model(workload)[0]
        split = split_for(workload, hw, model.spec.kv_heads)[0]
        step = llamacpp_quantized_step_s(workload, model, hw, split, row.batch,
                                         fraction=fraction, ceiling_gbs=ceiling_gbs,
                                         per_layer_s=per_layer_s)
        errors.append(abs(1 / step / row.measured - 1))
    return statistics.median(errors)


@cache
def _llamacpp_quantized(row: Measurement) -> bool:
    return row.metric == "decode_tokens_per_s" and row.mode == "latency" and \
        runs_llamacpp_quantized(row.workload(), hardware_for(row.workload())[0])


def _twin_key(row: Measurement) -> tuple[object, ...]:
    return (row.source, *_run_key(row))


def _pcie_tensor_fit_row(row: Measurement) -> bool:
    return (row.set == "fit" and row.parallelism == "tensor" and row.gpu_count > 1
            and row.metric == "decode_tokens_per_s"
            and not hardware_for(row.workload())[0].fast_link)


def _run_key(row: Measurement) -> tuple[object, ...]:
    return (row.gpu, row.model, row.precision, row.metric, row.batch, row.input_tokens,
            row.output_tokens)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
