"""``JWTAuth``: Ninja authentication by ``Authorization: Bearer <access token>``.

Use it on any router or operation: ``Router(auth=JWTAuth())`` or
``@router.get("/x", auth=JWTAuth())``. On success ``request.auth`` is the active
``accounts.models.User`` and ``request.access_claims`` the verified claims. A missing
header answers 401 ``unauthorized``; a bad, expired, revoked or superseded token 401
``invalid_token``. Works for sync and async operations (Ninja runs it in a thread).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from accounts.models import User
from accounts.services.tokens import access_token_user


class JWTAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> User | None:
        # Ninja's own __call__ logs a mismatched header in DEBUG: it may hold a secret.
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User:
        user, claims = access_token_user(token)
        request.access_claims = claims
        return user
