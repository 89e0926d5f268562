"""The one NinjaAPI: mounts each area's router and renders every error as JSON."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accounts.api import router as auth_router
from alerts.api import router as alerts_router
from assistant.api import router as ai_router
from common.errors import BrokerError, RateLimited, ServiceUnavailable
from common.outages import outage_logged, outage_of, outage_response_mark
from config.openapi import responses_declared
from config.parsers import ORJSONParser
from config.renderers import ORJSONRenderer
from kpi.api import router as kpi_router
from market.api import router as providers_router
from market.api import saved_searches_router
from mathcore.errors import MathInputError
from ranking.api import router as ranking_router
from workload.api import router as workload_router


class BrokerAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return responses_declared(super().get_openapi_schema(**kwargs))


api = BrokerAPI(
    title="GPUBroker API",
    version="2",
    description="GPU offers from many clouds, normalized, ranked and priced for your workload.",
    urls_namespace="api-v2",
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=ORJSONRenderer(),
    parser=ORJSONParser(),
)
log = logging.getLogger(__name__)

api.add_router("/providers", providers_router, tags=["providers"])
api.add_router("/math", ranking_router, tags=["math"])
api.add_router("/math", workload_router, tags=["math"])
api.add_router("/auth", auth_router, tags=["auth"])
api.add_router("/auth/saved-searches", saved_searches_router, tags=["auth"])
api.add_router("/ai", ai_router, tags=["ai"])
api.add_router("/kpi", kpi_router, tags=["kpi"])
api.add_router("/alerts", alerts_router, tags=["alerts"])


@api.exception_handler(BrokerError)
def _broker_error(request: HttpRequest, exc: BrokerError) -> HttpResponse:
    response = api.create_response(request, exc.as_body(), status=exc.http_status)
    if isinstance(exc, (RateLimited, ServiceUnavailable)):
        response["Retry-After"] = str(exc.retry_after_s)
    if exc.http_status == 401:
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


@api.exception_handler(MathInputError)
def _math_input_error(request: HttpRequest, exc: MathInputError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "code": "invalid_input"}, status=400)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": exc.errors, "code": "validation_error"}, status=422
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Not found", "code": "not_found"},
                               status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request, {"detail": "Authentication required", "code": "unauthorized"}, status=401
    )
    response["WWW-Authenticate"] = "Bearer"  # RFC 6750: how to authenticate
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "code": "http_error"},
                               status=exc.status_code)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):  # Django's own backstop behind common.bodylimits
        return api.create_response(request, {"detail": str(exc), "code": "payload_too_large"},
                                   status=413)
    return api.create_response(request, {"detail": str(exc), "code": "bad_request"}, status=400)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged with its traceback, answered without one (in every mode). A backing
    store that went away is no bug: 503 naming it (common.outages)."""
    if (outage := outage_of(exc)) is not None:
        outage_logged(outage, exc, where=f"{request.method} {request.path}")
        return outage_response_mark(_broker_error(request, outage))
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(request, {"detail": "Internal server error",
                                         "code": "server_error"}, status=500)
