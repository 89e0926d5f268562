"""Shared input checks for the ranking methods and the KPI formulas.

`decision_problem` turns a raw decision matrix, weights and criteria types into a
checked `DecisionProblem`; every rejection is a `MathInputError` whose message names
the problem and where (row, column, index). Limits: at most `MAX_ROWS` alternatives
and `MAX_COLUMNS` criteria, so a request can never ask for unbounded work.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mathcore.errors import MathInputError

MAX_ROWS = 100_000
MAX_COLUMNS = 50
CRITERIA_TYPES = ("benefit", "cost")
_WEIGHT_SUM_TOLERANCE = 1e-9

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class DecisionProblem:
    """A checked decision problem: n alternatives (rows) by m criteria (columns).

    matrix: (n, m) float64, finite, no constant column. weights: (m,), non-negative,
    summing to 1. benefit: (m,) True where larger is better, False for cost criteria.
    col_min / col_max: per-column extremes of `matrix` (computed once, reused).
    names: one label per criterion. warnings: what was adjusted (e.g. weights rescaled).
    """

    matrix: FloatArray
    weights: FloatArray
    benefit: BoolArray
    col_min: FloatArray
    col_max: FloatArray
    names: tuple[str, ...]
    warnings: tuple[str, ...]


def decision_problem(
    decision_matrix: Any,
    weights: Sequence[float] | FloatArray,
    criteria_types: Sequence[str],
    *,
    criteria_names: Sequence[str] | None = None,
) -> DecisionProblem:
    """Check and normalize the inputs shared by every ranking method.

    decision_matrix: n rows (alternatives) of m numbers (criteria values, any units),
    2 <= n <= MAX_ROWS, 1 <= m <= MAX_COLUMNS. weights: m non-negative numbers, not all
    zero; rescaled to sum to 1 with a warning when they do not. criteria_types: m of
    "benefit" (larger is better) or "cost" (smaller is better). criteria_names: optional
    m labels used in messages. Raises MathInputError naming the problem and where.
    """
    matrix = _as_matrix(decision_matrix)
    n_cols = matrix.shape[1]
    names = _criteria_names(criteria_names, n_cols)
    col_min, col_max = _column_extremes(matrix, names)
    benefit = _benefit_mask(criteria_types, n_cols)
    unit_weights, warnings = _unit_weights(weights, n_cols)
    return DecisionProblem(matrix, unit_weights, benefit, col_min, col_max, names, warnings)


def _as_matrix(decision_matrix: Any) -> FloatArray:
    if isinstance(decision_matrix, Sequence) and len(decision_matrix) > MAX_ROWS:
        raise MathInputError(_too_many_rows(len(decision_matrix)))
    try:
        matrix = np.asarray(decision_matrix, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise MathInputError(_unreadable_matrix(decision_matrix, exc)) from None
    if matrix.size == 0:
        raise MathInputError("decision_matrix is empty: need at least 2 rows and 1 column")
    _check_shape(matrix.shape)
    return matrix


def _unreadable_matrix(rows: Any, exc: Exception) -> str:
    if isinstance(rows, Sequence) and all(isinstance(r, Sequence) for r in rows):
        lengths = [len(r) for r in rows]
        for index, length in enumerate(lengths):
            if length != lengths[0]:
                return (f"decision_matrix is ragged: row {index} has {length} values, "
                        f"row 0 has {lengths[0]}")
    return f"decision_matrix must hold only numbers ({exc})"


def _check_shape(shape: tuple[int, ...]) -> None:
    if len(shape) != 2:
        raise MathInputError(
            f"decision_matrix must be 2-D (a list of rows), got {len(shape)} dimension(s)")
    n_rows, n_cols = shape
    if n_rows > MAX_ROWS:
        raise MathInputError(_too_many_rows(n_rows))
    if n_cols > MAX_COLUMNS:
        raise MathInputError(f"decision_matrix has {n_cols} columns; the limit is {MAX_COLUMNS}")
    if n_rows < 2:
        raise MathInputError("decision_matrix has a single row: ranking needs at least 2 rows")


def _too_many_rows(n_rows: int) -> str:
    return f"decision_matrix has {n_rows} rows; the limit is {MAX_ROWS}"


def _column_extremes(matrix: FloatArray, names: tuple[str, ...]) -> tuple[FloatArray, FloatArray]:
    # NaN and inf propagate into the extremes, so one min and one max check every cell.
    col_min, col_max = matrix.min(axis=0), matrix.max(axis=0)
    if not (np.isfinite(col_min).all() and np.isfinite(col_max).all()):
        row, col = (int(i) for i in np.argwhere(~np.isfinite(matrix))[0])
        raise MathInputError(
            f"decision_matrix row {row}, column {col} ({names[col]!r}) is {matrix[row, col]}: "
            "values must be finite numbers")
    _check_spread(col_min, col_max, names)
    return col_min, col_max


def _check_spread(col_min: FloatArray, col_max: FloatArray, names: tuple[str, ...]) -> None:
    constant = np.flatnonzero(col_min == col_max)
    if constant.size:
        col = int(constant[0])
        raise MathInputError(
            f"decision_matrix column {col} ({names[col]!r}) has the same value in every row; "
            "it cannot separate alternatives, drop it")
    with np.errstate(over="ignore"):  # an overflow is the error reported below
        too_wide = np.flatnonzero(~np.isfinite(col_max - col_min))
    if too_wide.size:
        col = int(too_wide[0])
        raise MathInputError(
            f"decision_matrix column {col} ({names[col]!r}): max - min overflows; "
            "change its unit")


def _criteria_names(criteria_names: Sequence[str] | None, n_cols: int) -> tuple[str, ...]:
    if criteria_names is None:
        return tuple(f"c{j}" for j in range(n_cols))
    if len(criteria_names) != n_cols:
        raise MathInputError(
            f"criteria_names has {len(criteria_names)} entries; decision_matrix has "
            f"{n_cols} columns")
    return tuple(str(name) for name in criteria_names)


def _benefit_mask(criteria_types: Sequence[str], n_cols: int) -> BoolArray:
    if len(criteria_types) != n_cols:
        raise MathInputError(
            f"criteria_types has {len(criteria_types)} entries; decision_matrix has "
            f"{n_cols} columns")
    for index, kind in enumerate(criteria_types):
        if kind not in CRITERIA_TYPES:
            raise MathInputError(
                f"criteria_types[{index}] is {kind!r}; expected 'benefit' or 'cost'")
    return np.array([kind == "benefit" for kind in criteria_types], dtype=np.bool_)


def _unit_weights(
    weights: Sequence[float] | FloatArray, n_cols: int
) -> tuple[FloatArray, tuple[str, ...]]:
    try:
        array = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise MathInputError(f"weights must be a list of numbers ({exc})") from None
    if array.ndim != 1 or array.size != n_cols:
        raise MathInputError(
            f"weights has {array.size} entries; decision_matrix has {n_cols} columns")
    _check_weight_values(array)
    with np.errstate(over="ignore"):  # an overflow is the error reported below
        total = float(array.sum())
    if not math.isfinite(total):
        raise MathInputError("weights sum overflows; use smaller numbers (only ratios count)")
    if abs(total - 1.0) <= _WEIGHT_SUM_TOLERANCE:
        return array, ()
    note = f"weights summed to {total:g}, not 1; they were rescaled to sum to 1"
    return array / total, (note,)


def _check_weight_values(array: FloatArray) -> None:
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise MathInputError(f"weights[{bad[0]}] is {array[bad[0]]}: weights must be finite")
    negative = np.flatnonzero(array < 0)
    if negative.size:
        raise MathInputError(
            f"weights[{negative[0]}] is {array[negative[0]]}: weights must not be negative")
    if not array.any():
        raise MathInputError("weights are all zero: at least one criterion must count")


def positive_finite(value: float, name: str) -> float:
    """Return `value` as a float if it is a finite number > 0, else raise MathInputError.

    name: the argument's name (with its unit), used in the message.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise MathInputError(f"{name} must be a number, got {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise MathInputError(f"{name} must be a finite number > 0, got {value!r}")
    return number
