"""`/api/v2/math/topsis` and `/api/v2/math/ensemble`: thin endpoints over mathcore.

Bad input is a MathInputError (400) or a schema error (422), both JSON. A body larger
than the server accepts is answered 413 in the same JSON shape instead of Django's HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Router

from ranking.schemas import EnsembleIn, EnsembleOut, TopsisIn, TopsisOut
from ranking.services import matrix_ensemble, matrix_topsis

router = Router()


def _json_413_when_body_too_big(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(run)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            request.body  # noqa: B018 - reads and caches the body under Django's size check
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return JsonResponse({"detail": f"request body is larger than this server accepts "
                                           f"({limit} bytes)", "code": "payload_too_large"},
                                status=413)
        return run(request, *args, **kwargs)

    return guarded


router.add_decorator(_json_413_when_body_too_big, mode="view")


@router.post("/topsis", response=TopsisOut, summary="Rank alternatives with TOPSIS")
def topsis_rank(request: HttpRequest, payload: TopsisIn) -> TopsisOut:
    return TopsisOut.of(matrix_topsis(payload=payload))


@router.post("/ensemble", response=EnsembleOut,
             summary="Rank with several MCDM methods and fuse the rankings")
def ensemble_rank(request: HttpRequest, payload: EnsembleIn) -> EnsembleOut:
    return EnsembleOut.of(matrix_ensemble(payload=payload))
