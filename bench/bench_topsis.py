"""TOPSIS speed on a 100,000 x 8 matrix: mathcore vs plain numpy vs pymcdm, one run.

    python bench/bench_topsis.py [--rows 100000] [--cols 8] [--repeats 21]

mathcore.topsis.topsis does more than the baseline: input checks, contributions and a
ranking. The plain baseline is the textbook vectorized TOPSIS (scores only); a second
baseline adds a ranking (np.argsort) so like is compared with like. Prints the median
milliseconds of each and the ratios to the baselines. pymcdm (a dev dependency) is
skipped if it is not installed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mathcore.topsis import topsis  # noqa: E402


def plain_topsis(x: np.ndarray, w: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Textbook vectorized TOPSIS: vector normalization, weights, Euclidean distances."""
    v = x / np.sqrt((x**2).sum(axis=0)) * w
    ideal = np.where(benefit, v.max(axis=0), v.min(axis=0))
    anti = np.where(benefit, v.min(axis=0), v.max(axis=0))
    d_plus = np.sqrt(((v - ideal) ** 2).sum(axis=1))
    d_minus = np.sqrt(((v - anti) ** 2).sum(axis=1))
    return d_minus / (d_plus + d_minus)


def median_ms(runs: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median wall time of each run; rounds interleave the runs so load hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for run in runs.values():
        run()  # warm-up: page in arrays, load BLAS
    for _ in range(repeats):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - start) * 1e3)
    return {name: statistics.median(values) for name, values in times.items()}


def contenders(x: np.ndarray, w: np.ndarray, kinds: list[str]) -> dict[str, Callable[[], object]]:
    benefit = np.array([k == "benefit" for k in kinds])
    runs: dict[str, Callable[[], object]] = {
        "mathcore.topsis": lambda: topsis(x, w, kinds),
        "plain numpy (scores)": lambda: plain_topsis(x, w, benefit),
        "plain numpy + argsort": lambda: np.argsort(-plain_topsis(x, w, benefit)),
    }
    try:
        from pymcdm.methods import TOPSIS
        from pymcdm.normalizations import vector_normalization
    except ImportError:
        return runs
    types = np.where(benefit, 1, -1)
    pymcdm_topsis = TOPSIS(vector_normalization)
    runs["pymcdm TOPSIS"] = lambda: pymcdm_topsis(x, w, types)
    runs["pymcdm, validation off"] = lambda: pymcdm_topsis(x, w, types, validation=False)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cols", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=21)
    args = parser.parse_args()
    rng = np.random.default_rng(20240601)
    x = rng.uniform(0.5, 500.0, size=(args.rows, args.cols))
    w = rng.uniform(0.1, 1.0, size=args.cols)
    w /= w.sum()
    kinds = ["cost" if j % 3 == 0 else "benefit" for j in range(args.cols)]
    warnings.simplefilter("ignore")
    medians = median_ms(contenders(x, w, kinds), args.repeats)
    print(f"TOPSIS {args.rows} x {args.cols}, median of {args.repeats} runs")
    mine = medians["mathcore.topsis"]
    for name, ms in medians.items():
        print(f"  {name:24s} {ms:9.2f} ms   mathcore / this = {mine / ms:5.2f}")


if __name__ == "__main__":
    main()
