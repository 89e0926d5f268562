"""The estimator against published measurements (mathcore/estimator/measurements.csv).

Each row is one published number with its source; `fit` rows are the ones the efficiency
factors were taken from, `score` rows were never used to choose one. The tests bound the
median absolute relative error per scenario on the score rows (the targets of
docs/ESTIMATOR.md, or the real level reached where a target is missed, with the reason
there), and check the estimator is never worse than a plain datasheet roofline.
A failing bound prints every row (`calibration` and `error_table()` in the test give the table).
"""

from __future__ import annotations

import pytest

from mathcore.estimator import calibration, efficiency

ROWS = calibration.load()
RESULTS = tuple(calibration.evaluate(row) for row in ROWS)
SCENARIOS = tuple(dict.fromkeys(row.scenario for row in ROWS))

# Held-out (score rows) median |error| bounds. The targets: batch-1 decode 10 %,
# serving throughput 25 %, BF16 training 12 %, FP8 training 20 %. The last two are not
# targets of the issue; bounded where they are so a change that worsens them must say why.
HELD_OUT_BOUNDS = {
    "batch-1 decode, 16-bit, one GPU": 0.10,
    "batch-1 decode, quantized or multi-GPU": 0.10,
    "serving throughput": 0.25,
    "dense BF16 training": 0.12,
    "FP8 training": 0.20,
    "static-batch serving (batch given)": 0.15,
    "long-prompt prefill": 0.25,
}


def error_table() -> str:
    lines = [f"{'set':5} {'measured':>9} {'estimate':>9} {'error':>7} {'roofline':>8}  what"]
    for r in RESULTS:
        if r.skipped:
            lines.append(f"{r.row.set:5} {r.row.measured:9.1f} {'-':>9}  {r.row.what} "
                         f"[skipped: {r.skipped}]")
            continue
        lines.append(f"{r.row.set:5} {r.row.measured:9.1f} {r.estimated:9.1f} "
                     f"{r.error:+7.1%} {r.roofline_error:+8.1%}  {r.row.what}")
    lines.append("")
    for scenario in SCENARIOS:
        for which in ("fit", "score"):
            est, plain, n = calibration.median_errors(RESULTS, scenario, which)
            lines.append(f"{scenario:40} {which:5} n={n:2d}  estimator {est:6.1%}  "
                         f"plain roofline {plain:6.1%}")
    return "\n".join(lines)


def test_every_row_cites_a_source_and_states_what_was_measured() -> None:
    for row in ROWS:
        assert row.source.startswith("https://") and "(" in row.source, row.what
        assert row.what and row.measured > 0 and row.set in ("fit", "score")


def test_no_measurement_is_both_fitted_and_scored() -> None:
    keys = [(r.what, r.gpu, r.gpu_count, r.model, r.input_tokens, r.output_tokens)
            for r in ROWS]
    assert len(keys) == len(set(keys))


def test_every_scenario_has_score_rows_and_every_row_is_estimated() -> None:
    for scenario in SCENARIOS:
        assert calibration.median_errors(RESULTS, scenario, "score")[2] >= 5, scenario
    assert not [r.row.what for r in RESULTS if r.skipped]


@pytest.mark.parametrize("scenario", sorted(HELD_OUT_BOUNDS))
def test_held_out_median_error_within_bound(scenario: str) -> None:
    estimator, _, count = calibration.median_errors(RESULTS, scenario, "score")
    assert count and estimator <= HELD_OUT_BOUNDS[scenario], error_table()


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_never_worse_than_the_plain_roofline(scenario: str) -> None:
    for which in ("fit", "score"):
        estimator, plain, count = calibration.median_errors(RESULTS, scenario, which)
        if count:
            assert estimator <= plain, error_table()


def test_pcie_latency_is_the_fit_rows_optimum() -> None:
    """The shipped PCIe all-reduce latency minimises its fit criterion (fit rows only) on
    the documented grid: 100-300 us in 10 us steps, 0-100 us per extra GPU in 10 us."""
    grid = [(calibration.pcie_latency_fit_error(RESULTS, a * 1e-6, b * 1e-6), a, b)
            for a in range(100, 301, 10) for b in range(0, 101, 10)]
    _, best_a, best_b = min(grid)
    assert (best_a * 1e-6, best_b * 1e-6) == pytest.approx(
        (efficiency.ALLREDUCE_LATENCY_PCIE_S, efficiency.ALLREDUCE_LATENCY_PCIE_PER_EXTRA_GPU_S))


def test_pipeline_hop_is_the_fit_rows_optimum() -> None:
    """The shipped pipeline hop minimises its fit criterion (fit rows only) on the
    documented grid: 0-800 us in 25 us steps."""
    grid = [(calibration.pipeline_hop_fit_error(RESULTS, hop * 1e-6), hop)
            for hop in range(0, 801, 25)]
    assert min(grid)[1] * 1e-6 == pytest.approx(efficiency.PIPELINE_HOP_S)


def test_kernel_launch_time_is_the_fit_rows_optimum() -> None:
    """The shipped launch time per layer minimises its fit criterion (llama.cpp's graph
    on/off fit pairs only) on the documented grid: 0-60 us in 1 us steps."""
    grid = [(calibration.launch_overhead_fit_error(RESULTS, us * 1e-6), us)
            for us in range(0, 61)]
    assert min(grid)[1] * 1e-6 == pytest.approx(efficiency.KERNEL_LAUNCH_PER_LAYER_S)


def test_llamacpp_quantized_factors_are_the_fit_rows_optimum() -> None:
    """The shipped llama.cpp quantized bandwidth fraction, ceiling and time per layer
    minimise their fit criterion (one-GPU quantized llama.cpp fit rows only) on the
    documented grid: fraction 0.40-1.00 in 0.05, ceiling 500-1600 GB/s in 100 or none,
    0-150 us per layer in 5 us."""
    ceilings = [*range(500, 1601, 100), float("inf")]
    grid = [(calibration.llamacpp_quantized_fit_error(RESULTS, f / 100, c, us * 1e-6),
             f, c, us)
            for f in range(40, 101, 5) for c in ceilings for us in range(0, 151, 5)]
    _, fraction, ceiling, per_layer = min(grid)
    assert (fraction / 100, ceiling, per_layer * 1e-6) == pytest.approx((
        efficiency.LLAMACPP_QUANTIZED_BANDWIDTH_FRACTION,
        efficiency.LLAMACPP_QUANTIZED_CEILING_GBS, efficiency.LLAMACPP_QUANTIZED_PER_LAYER_S))


def test_csv_round_trips(tmp_path: object) -> None:
    import io

    buffer = io.StringIO()
    calibration.write(ROWS[:3], buffer)
    path = __import__("pathlib").Path(str(tmp_path)) / "rows.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert calibration.load(path) == ROWS[:3]
