"""Request and response shapes of the ranking endpoints (`/math/topsis`, `/math/ensemble`).

Size limits are explicit: at most MAX_ROWS alternatives and MAX_COLUMNS criteria.
Responses are plain pydantic models built from dicts: Ninja's `Schema` reads attributes
through a Django-aware getter, which is slow on a 100,000-row contributions table.
"""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field
from pydantic import BaseModel

from common.schemas import StrictIn
from mathcore.ensemble import EnsembleResult
from mathcore.topsis import TopsisResult
from mathcore.validation import MAX_COLUMNS, MAX_ROWS

CriterionType = Literal["benefit", "cost"]
MethodName = Literal["topsis", "weighted_sum", "vikor", "promethee_ii"]
Fusion = Literal["borda", "rrf"]
Row = Annotated[list[float], Field(max_length=MAX_COLUMNS)]
CriterionName = Annotated[str, Field(max_length=200)]

MATRIX_HELP = (f"one row per alternative (at most {MAX_ROWS}), one number per criterion "
               f"(at most {MAX_COLUMNS}); no column may be constant")


class TopsisIn(StrictIn):
    decision_matrix: list[Row] = Field(..., max_length=MAX_ROWS, description=MATRIX_HELP)
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


class TopsisOut(BaseModel):
    scores: list[float] = Field(description="closeness in [0, 1] per row, input order")
    rankings: list[int] = Field(description="row indices, best first")
    ideal_solution: list[float] = Field(description="weighted-normalized space")
    anti_ideal_solution: list[float] = Field(description="weighted-normalized space")
    contributions: list[list[float]] = Field(
        description="per row and criterion; each row sums to its score - 0.5")
    warnings: list[str]

    @classmethod
    def of(cls, result: TopsisResult) -> TopsisOut:
        # Built from checked float64 arrays: skip a second validation of 10^6 numbers.
        return cls.model_construct(
            scores=result.scores.tolist(), rankings=result.rankings.tolist(),
            ideal_solution=result.ideal_solution.tolist(),
            anti_ideal_solution=result.anti_ideal_solution.tolist(),
            contributions=result.contributions.tolist(), warnings=list(result.warnings))


class EnsembleOut(BaseModel):
    rankings: dict[str, list[int]] = Field(description="per method: row indices, best first")
    scores: dict[str, list[float]] = Field(
        description="per method, higher is better (vikor: 1 - Q)")
    fused_ranking: list[int]
    fused_scores: list[float] = Field(description="Borda points or RRF sums per row")
    warnings: list[str]

    @classmethod
    def of(cls, result: EnsembleResult) -> EnsembleOut:
        return cls.model_construct(
            rankings={name: order.tolist() for name, order in result.rankings.items()},
            scores={name: values.tolist() for name, values in result.scores.items()},
            fused_ranking=result.fused_ranking.tolist(),
            fused_scores=result.fused_scores.tolist(), warnings=list(result.warnings))
