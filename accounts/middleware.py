"""The general API rate limit: per user when a valid Bearer token is sent, else per IP.

Applies to ``/api/`` only. Limits: ``GPUBROKER_RATE_LIMITS["api_user"]`` (the server's cap)
and the user's plan (``api_requests_per_min``), or ``["api_ip"]`` without a token. Answers
429 with ``Retry-After`` in the error tree's JSON shape.

When the cache (Redis) cannot be reached this general limit is not counted (fails open, a
warning at most every ``OUTAGE_LOG_S``): a cache outage must not refuse every API request.
The limits that guard secrets (login, MFA, password reset) are counted in their views and
answer 503 ``cache_unavailable`` instead (common.outages).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from accounts.http import client_ip
from accounts.services.api_tokens import api_token_is_personal, api_token_user
from accounts.services.quotas import quota_rate_hit
from accounts.services.ratelimit import ratelimit_hit
from accounts.services.tokens import access_token_decode
from common.errors import RateLimited, Unauthorized
from common.outages import REDIS_ERRORS

API_PREFIX = "/api/"
OUTAGE_LOG_S = 30.0
log = logging.getLogger(__name__)
_last_outage_log = [0.0]


def _bearer_subject(request: HttpRequest) -> str | None:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    token = token.strip()
    try:
        if api_token_is_personal(token):
            return str(api_token_user(token)[0].pk)
        return str(access_token_decode(token).user_id)
    except Unauthorized:
        return None


def _too_many(exc: RateLimited) -> HttpResponse:
    response = JsonResponse(exc.as_body(), status=exc.http_status)
    response["Retry-After"] = str(exc.retry_after_s)
    return response


class ApiRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            subject = _bearer_subject(request)
            try:
                if subject is not None:
                    ratelimit_hit(scope="api_user", ident=subject)
                    quota_rate_hit(user_id=int(subject), resource="api_requests_per_min")
                else:
                    ratelimit_hit(scope="api_ip", ident=client_ip(request) or "unknown")
            except RateLimited as exc:
                return _too_many(exc)
            except REDIS_ERRORS as exc:
                _outage_note(exc)
        return self.get_response(request)


def _outage_note(exc: Exception) -> None:
    now = time.monotonic()
    if now - _last_outage_log[0] >= OUTAGE_LOG_S:
        _last_outage_log[0] = now
        log.warning("API rate limit not counted: the cache cannot be reached (%s: %s)",
                    type(exc).__name__, exc)
