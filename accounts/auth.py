"""``JWTAuth``: Ninja authentication by ``Authorization: Bearer <access token>``.

Use it on any router or operation: ``Router(auth=JWTAuth())`` or
``@router.get("/x", auth=JWTAuth())``. On success ``request.auth`` is the active
``accounts.models.User`` and ``request.access_claims`` the verified claims. A missing
header answers 401 ``unauthorized``; a bad, expired, revoked or superseded token 401
``invalid_token``. Works for sync and async operations (Ninja runs it in a thread).

Personal API tokens (``gpb_…``) are accepted too, within their scopes (403
``insufficient_scope`` otherwise); then ``request.access_claims`` is None and
``request.api_token`` the token's row. ``JWTAuth(quota="live_queries_per_day")`` also
spends one unit of that rate of the user's plan (429 naming the plan when spent);
``JWTAuth(quota="saved_searches")`` refuses a POST once the plan's count is reached (403).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from accounts.models import User
from accounts.services.api_tokens import api_token_authorize, api_token_is_personal, api_token_user
from accounts.services.quotas import RATES, quota_check, quota_rate_hit
from accounts.services.tokens import access_token_user


class JWTAuth(HttpBearer):
    def __init__(self, *, quota: str | None = None) -> None:
        """``quota``: a limit of the user's plan: a rate each call spends
        (``live_queries_per_day``), or a counted resource a POST may not exceed (``alerts``)."""
        super().__init__()
        self.quota = quota

    def __call__(self, request: HttpRequest) -> User | None:
        # Ninja's own __call__ logs a mismatched header in DEBUG: it may hold a secret.
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        if api_token_is_personal(token):
            user, row = api_token_user(token)
            api_token_authorize(row=row, method=request.method or "GET", path=request.path)
            request.access_claims, request.api_token = None, row
        else:
            user, claims = access_token_user(token)
            request.access_claims, request.api_token = claims, None
        if self.quota in RATES:
            quota_rate_hit(user_id=user.pk, resource=self.quota)
        elif self.quota and request.method == "POST":
            quota_check(user=user, resource=self.quota)
        return user
