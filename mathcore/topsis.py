"""TOPSIS (Hwang & Yoon, 1981): rank alternatives by closeness to an ideal solution.

Steps, all vectorized over rows:
1. vector normalization r_ij = x_ij / sqrt(sum_i x_ij^2), then v_ij = w_j r_ij;
2. ideal v+_j = best v_ij (max for benefit, min for cost), anti-ideal v-_j = worst;
3. D+_i, D-_i = Euclidean distances of row i to v+ and v-;
4. closeness C_i = D-_i / (D+_i + D-_i), in [0, 1], 1 = best.

Criterion contributions (an exact additive decomposition of the closeness):

    contribution_ij = ((v_ij - v-_j)^2 - (v_ij - v+_j)^2) / (2 (D+_i + D-_i)^2)
    sum_j contribution_ij = C_i - 1/2

because C - 1/2 = (D- - D+) / (2 (D+ + D-)) = (D-^2 - D+^2) / (2 (D+ + D-)^2).
A criterion adds to a row's closeness when the row sits nearer the ideal than the
anti-ideal on it (positive), and takes away otherwise (negative); 1/2 is the neutral
point of a row equidistant from both. Criteria with zero weight contribute 0.

Scores equal pymcdm's TOPSIS with vector normalization. pymcdm writes cost columns as
1 - r_ij, which flips its reported ideal/anti-ideal for those columns (w_j - v) but
leaves distances, closeness and ranking unchanged; here cost criteria keep r_ij as is
and their ideal is the minimum, as in Hwang & Yoon.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mathcore.errors import MathInputError
from mathcore.mcdm import rank_order
from mathcore.validation import DecisionProblem, FloatArray, decision_problem


@dataclass(frozen=True, eq=False)
class TopsisResult:
    """TOPSIS output for n alternatives and m criteria.

    scores: (n,) closeness in [0, 1], input row order, higher is better.
    rankings: (n,) row indices, best first; equal scores keep input order.
    ideal_solution / anti_ideal_solution: (m,) in weighted-normalized space (w_j r_ij).
    contributions: (n, m) per-criterion terms; each row sums to scores[i] - 0.5.
    warnings: inputs that were adjusted (e.g. weights rescaled to sum to 1).
    """

    scores: FloatArray
    rankings: NDArray[np.intp]
    ideal_solution: FloatArray
    anti_ideal_solution: FloatArray
    contributions: FloatArray
    warnings: tuple[str, ...]


def topsis(
    decision_matrix: Any,
    weights: Sequence[float] | FloatArray,
    criteria_types: Sequence[str],
    *,
    criteria_names: Sequence[str] | None = None,
) -> TopsisResult:
    """Rank alternatives with TOPSIS (vector normalization, Euclidean distance).

    decision_matrix: n rows (alternatives) by m columns (criteria), any units per column.
    weights: m non-negative importances (rescaled to sum to 1, with a warning).
    criteria_types: m of "benefit" (larger is better) or "cost" (smaller is better).
    criteria_names: optional m labels used in error messages.
    Raises MathInputError on degenerate input (see mathcore.validation).
    """
    problem = decision_problem(
        decision_matrix, weights, criteria_types, criteria_names=criteria_names)
    return topsis_of(problem)


def topsis_of(problem: DecisionProblem) -> TopsisResult:
    """TOPSIS on an already checked `DecisionProblem` (see `topsis`)."""
    scale = problem.weights / _column_norms(problem)
    weighted = problem.matrix * scale
    best = np.where(problem.benefit, problem.col_max, problem.col_min) * scale
    worst = np.where(problem.benefit, problem.col_min, problem.col_max) * scale
    to_best, to_worst = _squared_gaps(weighted, best), _squared_gaps(weighted, worst)
    d_best, d_worst = np.sqrt(_row_sums(to_best)), np.sqrt(_row_sums(to_worst))
    span = _checked_spans(d_best + d_worst)
    scores = d_worst / span
    contributions = np.subtract(to_worst, to_best, out=to_worst)
    contributions /= (2.0 * span * span)[:, None]
    return TopsisResult(
        scores, rank_order(scores), best, worst, contributions, problem.warnings)


def _column_norms(problem: DecisionProblem) -> FloatArray:
    norms: FloatArray = np.sqrt(np.einsum("ij,ij->j", problem.matrix, problem.matrix))
    bad = np.flatnonzero(~(np.isfinite(norms) & (norms > 0)))
    if bad.size:
        col = int(bad[0])
        raise MathInputError(
            f"decision_matrix column {col} ({problem.names[col]!r}): values too large or too "
            "small to normalize (sum of squares overflows or underflows); change its unit")
    return norms


def _checked_spans(spans: FloatArray) -> FloatArray:
    # Only when every weighted column rounds to a constant (e.g. [1, 1 + 2e-16]).
    if not (spans > 0).all():
        raise MathInputError(
            "decision_matrix: after weighting, no column separates the rows (the weighted "
            "columns differ only by rounding); give weight to a column that varies")
    return spans


def _squared_gaps(weighted: FloatArray, target: FloatArray) -> FloatArray:
    gaps = weighted - target
    return np.multiply(gaps, gaps, out=gaps)


def _row_sums(values: FloatArray) -> FloatArray:
    # einsum sums short rows several times faster than values.sum(axis=1), without the
    # thread start-up of a BLAS matrix-vector product.
    result: FloatArray = np.einsum("ij->i", values)
    return result
