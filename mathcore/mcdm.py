"""Ranking helpers and the ensemble's member methods besides TOPSIS.

Every scoring function takes a checked `DecisionProblem` (mathcore.validation) and
returns one score per row, in input order, where HIGHER IS BETTER:

- weighted sum: sum_j w_j r_ij with min-max normalization; r_ij = (x_ij - min_j) / (max_j
  - min_j) for benefit criteria and (max_j - x_ij) / (max_j - min_j) for cost criteria,
  so every r is in [0, 1] with 1 the best value. Score in [0, 1].
- VIKOR (Opricovic): regret g_ij = w_j (1 - r_ij); S_i = sum_j g_ij, R_i = max_j g_ij;
  Q_i = v (S_i - S*) / (S- - S*) + (1 - v) (R_i - R*) / (R- - R*), lower Q is better.
  The score is 1 - Q_i, in [0, 1]. A term whose spread is zero (every row has the same
  S, or the same R) is taken as 0. The compromise-set conditions of full VIKOR are not
  applied: rows are ordered by Q alone.
- PROMETHEE II with the "usual" preference function P(d) = [d > 0]: net flow
  phi_i = sum_j w_j (#rows worse than i on j - #rows better than i on j) / (n - 1),
  in [-1, 1]. Counting by sorting each column makes it O(m n log n) time and O(n)
  memory, instead of the O(n^2) pairwise table, so it runs on the full MAX_ROWS.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from mathcore.errors import MathInputError
from mathcore.validation import DecisionProblem, FloatArray

IntArray = NDArray[np.intp]


def rank_order(scores: FloatArray) -> IntArray:
    """Row indices ordered best (highest score) first; equal scores keep input order."""
    order = np.argsort(-scores)
    ordered = scores[order]
    if (ordered[1:] == ordered[:-1]).any():
        # An unstable sort is several times faster; redo it stably only when ties exist.
        order = np.argsort(-scores, kind="stable")
    return order


def average_ranks(scores: FloatArray) -> FloatArray:
    """1-based ranks (1 = highest score); tied scores share the mean of their positions."""
    order = rank_order(scores)
    ordered = scores[order]
    starts_group = np.concatenate(([True], ordered[1:] != ordered[:-1]))
    starts = np.flatnonzero(starts_group)
    ends = np.append(starts[1:], scores.size)
    mean_position = (starts + ends + 1) / 2.0
    ranks = np.empty(scores.size, dtype=np.float64)
    ranks[order] = mean_position[np.cumsum(starts_group) - 1]
    return ranks


def weighted_sum_scores(problem: DecisionProblem) -> FloatArray:
    """Weighted sum of min-max normalized criteria; score in [0, 1], higher is better."""
    result: FloatArray = _minmax_normalized(problem) @ problem.weights
    return result


def vikor_scores(problem: DecisionProblem, *, v: float = 0.5) -> FloatArray:
    """VIKOR as 1 - Q (higher is better). v in [0, 1]: weight of group utility S versus
    individual regret R (v = 0.5 is the usual consensus choice)."""
    if not 0.0 <= v <= 1.0:
        raise MathInputError(f"vikor v must be between 0 and 1, got {v}")
    regret = (1.0 - _minmax_normalized(problem)) * problem.weights
    group_utility, worst_regret = regret.sum(axis=1), regret.max(axis=1)
    q = v * _spread01(group_utility) + (1.0 - v) * _spread01(worst_regret)
    return 1.0 - q


def promethee_ii_scores(problem: DecisionProblem) -> FloatArray:
    """PROMETHEE II net outranking flow, usual preference function, in [-1, 1]."""
    n_rows = problem.matrix.shape[0]
    net = np.zeros(n_rows, dtype=np.float64)
    for col in range(problem.matrix.shape[1]):
        values = problem.matrix[:, col]
        ordered = np.sort(values)
        worse = np.searchsorted(ordered, values, side="left")
        better = n_rows - np.searchsorted(ordered, values, side="right")
        wins = worse - better if problem.benefit[col] else better - worse
        net += problem.weights[col] * wins
    result: FloatArray = net / (n_rows - 1)
    return result


def _minmax_normalized(problem: DecisionProblem) -> FloatArray:
    low = np.where(problem.benefit, problem.col_min, problem.col_max)
    span = problem.col_max - problem.col_min
    scale = np.where(problem.benefit, 1.0, -1.0) / span
    result: FloatArray = (problem.matrix - low) * scale
    return result


def _spread01(values: FloatArray) -> FloatArray:
    low, high = values.min(), values.max()
    if high == low:
        return np.zeros_like(values)
    result: FloatArray = (values - low) / (high - low)
    return result
