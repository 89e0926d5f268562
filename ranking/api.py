"""`/api/v2/math/topsis` and `/api/v2/math/ensemble`: thin endpoints over mathcore.

Bad input is a MathInputError (400) or a schema error (422), both JSON. These two paths
may take bodies over the default limit (``common.bodylimits``); over theirs is a 413.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from ranking.schemas import EnsembleIn, EnsembleOut, TopsisIn, TopsisOut
from ranking.services import matrix_ensemble, matrix_topsis

router = Router()


@router.post("/topsis", response=TopsisOut, summary="Rank alternatives with TOPSIS")
def topsis_rank(request: HttpRequest, payload: TopsisIn) -> TopsisOut:
    return TopsisOut.of(matrix_topsis(payload=payload))


@router.post("/ensemble", response=EnsembleOut,
             summary="Rank with several MCDM methods and fuse the rankings")
def ensemble_rank(request: HttpRequest, payload: EnsembleIn) -> EnsembleOut:
    return EnsembleOut.of(matrix_ensemble(payload=payload))
