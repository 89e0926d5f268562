"""Request and response shapes of the ranking endpoints (`/math/topsis`, `/math/ensemble`).

Size limits are explicit: at most MAX_ROWS alternatives and MAX_COLUMNS criteria.
A large matrix arrives as a float64 numpy array (the request guard parsed it straight to
one, ``common.jsonmatrix``) and is kept as it is; a list (a small or malformed matrix) is
validated strictly, as the schema says. Responses carry mathcore's numpy arrays to the
renderer (orjson writes them), so a 100,000 × 8 contributions table never becomes
800,000 Python floats; their schemas are stated with ``WithJsonSchema``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import numpy as np
from ninja import Field
from pydantic import BaseModel, ValidatorFunctionWrapHandler, WithJsonSchema, WrapValidator
from pydantic_core import PydanticCustomError

from common.schemas import StrictIn
from mathcore.ensemble import EnsembleResult
from mathcore.topsis import TopsisResult
from mathcore.validation import MAX_COLUMNS, MAX_ROWS

CriterionType = Literal["benefit", "cost"]
MethodName = Literal["topsis", "weighted_sum", "vikor", "promethee_ii"]
Fusion = Literal["borda", "rrf"]
Row = Annotated[list[float], Field(max_length=MAX_COLUMNS)]
CriterionName = Annotated[str, Field(max_length=200)]



def _array_kept(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A numpy matrix from the request guard is kept (its size checked as the schema's
    would be; mathcore checks the rest); a list is validated by the schema."""
    if not isinstance(value, np.ndarray):
        return handler(value)
    for length, limit in ((value.shape[0], MAX_ROWS), (value.shape[-1], MAX_COLUMNS)):
        if length > limit:
            raise PydanticCustomError(
                "too_long", "List should have at most {max_length} items after validation, "
                "not {actual_length}", {"max_length": limit, "actual_length": length})
    return value


Matrix = Annotated[list[Row], WrapValidator(_array_kept)]
Numbers = Annotated[Any, WithJsonSchema({"type": "array", "items": {"type": "number"}})]
Indices = Annotated[Any, WithJsonSchema({"type": "array", "items": {"type": "integer"}})]
Table = Annotated[Any, WithJsonSchema({"type": "array", "items": {
    "type": "array", "items": {"type": "number"}}})]

MATRIX_HELP = (f"one row per alternative (at most {MAX_ROWS}), one number per criterion "
               f"(at most {MAX_COLUMNS}); no column may be constant")


class TopsisIn(StrictIn):
    decision_matrix: Matrix = Field(..., max_length=MAX_ROWS, description=MATRIX_HELP)
    weights: list[float] = Field(
        ..., max_length=MAX_COLUMNS,
        description="one non-negative weight per criterion; rescaled to sum to 1")
    criteria_types: list[CriterionType] = Field(
        ..., max_length=MAX_COLUMNS,
        description="'benefit' (larger is better) or 'cost' (smaller is better)")
    criteria_names: list[CriterionName] | None = Field(
        None, max_length=MAX_COLUMNS, description="labels used in error messages")


class EnsembleIn(TopsisIn):
    methods: list[MethodName] | None = Field(
        None, max_length=4, description="default: all four methods")
    fusion: Fusion = Field("borda", description="'borda' (Borda count) or 'rrf' (k = 60)")


def _c(array: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(array)  # orjson writes C-ordered arrays only


class TopsisOut(BaseModel):
    scores: Numbers = Field(description="closeness in [0, 1] per row, input order")
    rankings: Indices = Field(description="row indices, best first")
    ideal_solution: Numbers = Field(description="weighted-normalized space")
    anti_ideal_solution: Numbers = Field(description="weighted-normalized space")
    contributions: Table = Field(
        description="per row and criterion; each row sums to its score - 0.5")
    warnings: list[str]

    @classmethod
    def of(cls, result: TopsisResult) -> TopsisOut:
        # Checked float64 arrays, written by orjson as they are (no validation, no lists).
        return cls.model_construct(
            scores=_c(result.scores), rankings=_c(result.rankings),
            ideal_solution=_c(result.ideal_solution),
            anti_ideal_solution=_c(result.anti_ideal_solution),
            contributions=_c(result.contributions), warnings=list(result.warnings))


class EnsembleOut(BaseModel):
    rankings: dict[str, Indices] = Field(description="per method: row indices, best first")
    scores: dict[str, Numbers] = Field(
        description="per method, higher is better (vikor: 1 - Q)")
    fused_ranking: Indices
    fused_scores: Numbers = Field(description="Borda points or RRF sums per row")
    warnings: list[str]

    @classmethod
    def of(cls, result: EnsembleResult) -> EnsembleOut:
        return cls.model_construct(
            rankings={name: _c(order) for name, order in result.rankings.items()},
            scores={name: _c(values) for name, values in result.scores.items()},
            fused_ranking=_c(result.fused_ranking), fused_scores=_c(result.fused_scores),
            warnings=list(result.warnings))
