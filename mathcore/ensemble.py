"""Ensemble ranking: several MCDM methods on one decision problem, fused into one order.

Members (see mathcore.topsis and mathcore.mcdm; every score is higher-is-better):
"topsis", "weighted_sum", "vikor", "promethee_ii". Fusion works on each member's ranks
(1 = best, ties share their mean position), so methods with different score scales
count equally:

- "borda": fused score = sum over methods of (n - rank_i), in [0, k (n - 1)] for k methods;
- "rrf" (reciprocal-rank fusion, Cormack et al. 2009): sum over methods of
  1 / (RRF_K + rank_i) with RRF_K = 60, which favours rows that some method puts on top.

The fused ranking orders rows by fused score, best first; equal fused scores keep input
order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mathcore.errors import MathInputError
from mathcore.mcdm import (
    IntArray,
    average_ranks,
    promethee_ii_scores,
    rank_order,
    vikor_scores,
    weighted_sum_scores,
)
from mathcore.topsis import topsis_of
from mathcore.validation import DecisionProblem, FloatArray, decision_problem

RRF_K = 60
FUSIONS = ("borda", "rrf")


def _topsis_scores(problem: DecisionProblem) -> FloatArray:
    return topsis_of(problem).scores


SCORERS: dict[str, Callable[[DecisionProblem], FloatArray]] = {
    "topsis": _topsis_scores,
    "weighted_sum": weighted_sum_scores,
    "vikor": vikor_scores,
    "promethee_ii": promethee_ii_scores,
}
METHODS = tuple(SCORERS)


@dataclass(frozen=True, eq=False)
class EnsembleResult:
    """Each method's scores and ranking (row indices, best first) plus the fused order.

    scores / rankings: keyed by method name, in the order the methods were asked for.
    fused_scores: (n,) Borda points or RRF sums, input row order, higher is better.
    fused_ranking: (n,) row indices, best first. warnings: inputs that were adjusted.
    """

    scores: dict[str, FloatArray]
    rankings: dict[str, IntArray]
    fused_scores: FloatArray
    fused_ranking: IntArray
    warnings: tuple[str, ...]


def ensemble(
    decision_matrix: Any,
    weights: Sequence[float] | FloatArray,
    criteria_types: Sequence[str],
    *,
    methods: Sequence[str] | None = None,
    fusion: str = "borda",
    criteria_names: Sequence[str] | None = None,
) -> EnsembleResult:
    """Rank alternatives with several MCDM methods and fuse their rankings.

    decision_matrix, weights, criteria_types, criteria_names: as for mathcore.topsis.topsis.
    methods: names from METHODS (default: all of them), each at most once.
    fusion: "borda" or "rrf". Raises MathInputError on bad input.
    """
    chosen = _checked_methods(methods)
    _check_fusion(fusion)
    problem = decision_problem(
        decision_matrix, weights, criteria_types, criteria_names=criteria_names)
    scores = {name: SCORERS[name](problem) for name in chosen}
    fused = fuse_scores(list(scores.values()), fusion=fusion)
    rankings = {name: rank_order(values) for name, values in scores.items()}
    return EnsembleResult(scores, rankings, fused, rank_order(fused), problem.warnings)


def fuse_scores(method_scores: Sequence[FloatArray], *, fusion: str = "borda") -> FloatArray:
    """Fuse per-method scores (each (n,), higher is better) into one (n,) fused score.

    Only each method's ranks matter (see the module docstring for both rules).
    """
    _check_fusion(fusion)
    if not method_scores:
        raise MathInputError("fusion needs at least one method's scores")
    if len({len(s) for s in method_scores}) > 1:
        raise MathInputError("fusion needs every method's scores for the same rows")
    ranks = np.stack([average_ranks(np.asarray(s, dtype=np.float64)) for s in method_scores])
    if fusion == "borda":
        fused: FloatArray = (ranks.shape[1] - ranks).sum(axis=0)
    else:
        fused = (1.0 / (RRF_K + ranks)).sum(axis=0)
    return fused


def _checked_methods(methods: Sequence[str] | None) -> tuple[str, ...]:
    if methods is None:
        return METHODS
    if not methods:
        raise MathInputError(f"methods is empty; choose from {', '.join(METHODS)}")
    for index, name in enumerate(methods):
        if name not in SCORERS:
            raise MathInputError(
                f"methods[{index}] is {name!r}; expected one of {', '.join(METHODS)}")
        if name in methods[:index]:
            raise MathInputError(f"methods[{index}] repeats {name!r}")
    return tuple(methods)


def _check_fusion(fusion: str) -> None:
    if fusion not in FUSIONS:
        raise MathInputError(f"fusion is {fusion!r}; expected 'borda' or 'rrf'")
