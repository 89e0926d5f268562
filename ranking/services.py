"""Services of the ranking area: checked matrices in, mathcore results out."""

from __future__ import annotations

from mathcore.ensemble import EnsembleResult, ensemble
from mathcore.topsis import TopsisResult, topsis
from ranking.schemas import EnsembleIn, TopsisIn


def matrix_topsis(*, payload: TopsisIn) -> TopsisResult:
    """TOPSIS over the payload's decision matrix; MathInputError (400) names bad input."""
    return topsis(payload.decision_matrix, payload.weights, payload.criteria_types,
                  criteria_names=payload.criteria_names)


def matrix_ensemble(*, payload: EnsembleIn) -> EnsembleResult:
    """The chosen MCDM methods over the payload's matrix, fused by Borda or RRF."""
    return ensemble(payload.decision_matrix, payload.weights, payload.criteria_types,
                    methods=payload.methods, fusion=payload.fusion,
                    criteria_names=payload.criteria_names)
