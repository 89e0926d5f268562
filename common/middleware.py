"""Request guards inside Django: query strings and bodies within their limits, CSP.

``RequestLimitsMiddleware`` refuses, before any view or parser touches the request:

* more query parameters than ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (400 ``too_many_parameters``);
* a query string that does not decode as UTF-8 (lone surrogates) or holds control
  characters such as NUL (400 ``invalid_query``);
* a ``Content-Length`` over the path's limit (413 ``payload_too_large``, see
  ``common.bodylimits``; under a real server ``common.asgi_limits`` refused it already).

* a body nested or counted over the path's JSON limits (400 ``json_too_deep``, 413
  ``json_too_many_items``, ``common.jsonlimits``) — before anything parses it; an
  ``/api/`` body is then parsed once, strictly (RFC 8259: no NaN, no lone surrogates),
  and must be a JSON object (400 ``invalid_json`` naming where it breaks); on the
  large-body paths its number matrices become numpy arrays (``common.jsonmatrix``).

``ContentSecurityPolicyMiddleware`` adds ``GPUBROKER_CSP`` to every response;
``JsonErrorsMiddleware`` answers errors as ``{"detail", "code"}`` in every mode (no
traceback, no debug page listing URL patterns).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from common.bodylimits import BodyLimit, Sender, allowed_bytes, body_limit_for
from common.errors import BadRequest, BrokerError
from common.jsonlimits import JsonInvalid, json_loads_bounded, json_shape_check
from common.outages import outage_logged, outage_of, outage_response_mark

API_PREFIX = "/api/"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
log = logging.getLogger(__name__)
GetResponse = Callable[[HttpRequest], HttpResponse]


def query_string_check(query: str) -> None:
    """Raise BadRequest for too many parameters, undecodable bytes or control characters."""
    pieces = [p for p in query.split("&") if p]
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if limit is not None and len(pieces) > limit:
        raise BadRequest(f"more than {limit} query parameters (limit {limit})",
                         code="too_many_parameters", limit=limit)
    try:
        text = unquote_to_bytes(query.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("the query string is not valid UTF-8", code="invalid_query") from exc
    if _CONTROL.search(text):
        raise BadRequest("query parameters may not contain control characters",
                         code="invalid_query")


def _announced_size(request: HttpRequest) -> int:
    text = request.META.get("CONTENT_LENGTH") or "0"
    if not text.isascii() or not text.isdigit():
        raise BadRequest("Content-Length must be a number of bytes", code="bad_content_length")
    return int(text)


def _sender(request: HttpRequest) -> Sender:
    return Sender(authorization=request.META.get("HTTP_AUTHORIZATION", ""),
                  remote_addr=request.META.get("REMOTE_ADDR", ""),
                  forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""))


class RequestLimitsMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit_for(request.path)
        try:
            query_string_check(request.META.get("QUERY_STRING", ""))
            allowed_bytes(limit, size=_announced_size(request), sender=_sender(request))
            _body_parse(request, limit)
        except BrokerError as exc:
            return JsonResponse(exc.as_body(), status=exc.http_status)
        return self.get_response(request)


def _body_parse(request: HttpRequest, limit: BodyLimit) -> None:
    """Shape-check the body; an API body is parsed here once (``request.json_body``)."""
    if request.content_type.startswith("multipart/"):
        return
    body = request.body  # within the limit just checked
    if not body:
        return
    if not request.path.startswith(API_PREFIX):
        json_shape_check(body, limit.json)
        return
    data = json_loads_bounded(body, limit.json, matrices=limit.matrices)
    if not isinstance(data, dict):
        raise JsonInvalid("a request body of this API is a JSON object")
    request.json_body = data  # type: ignore[attr-defined]


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.GPUBROKER_CSP and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.GPUBROKER_CSP
        return response


_EXPECTED: tuple[tuple[type[Exception], int], ...] = (
    (Http404, 404), (PermissionDenied, 403), (SuspiciousOperation, 400))
_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          413: "payload_too_large", 500: "server_error"}


def json_error(status: int) -> JsonResponse:
    code = _CODES.get(status, "error")
    return JsonResponse({"detail": code.replace("_", " ").capitalize(), "code": code},
                        status=status)


def _not_a_page_of_ours(request: HttpRequest) -> bool:
    """Django's own error pages (no view matched, or the API): the dashboard's HTML error
    pages are its views' answers and stay HTML."""
    return request.path.startswith(API_PREFIX) or getattr(request, "resolver_match",
                                                          None) is None


class JsonErrorsMiddleware:
    """Errors rendered as HTML anywhere below (Django's pages, debug pages) become JSON;
    an exception a view raised is logged and answered 500 JSON, in every mode (503 naming
    the store when the database or Redis went away, common.outages)."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code >= 400 and response.get("Content-Type", "").startswith(
                "text/html") and _not_a_page_of_ours(request):
            return json_error(response.status_code)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse:
        for kind, status in _EXPECTED:
            if isinstance(exception, kind):
                return json_error(status)
        if (outage := outage_of(exception)) is not None:
            outage_logged(outage, exception, where=f"{request.method} {request.path}")
            response = JsonResponse(outage.as_body(), status=outage.http_status)
            response["Retry-After"] = str(outage.retry_after_s)
            return outage_response_mark(response)
        log.error("unhandled error on %s %s", request.method, request.path,
                  exc_info=exception)
        return json_error(500)
