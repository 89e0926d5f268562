"""Access tokens: RS256 JWTs, short-lived, checked as RFC 8725 asks.

Checked on every request: the header names ``alg`` RS256 (the only algorithm allowed:
``none`` and HS256 signed with the public key are refused), ``typ`` ``at+jwt``
(RFC 9068 explicit typing) and our ``kid``; the signature; ``iss``, ``aud``, ``exp``,
``iat`` (not in the future), ``sub`` (a user id in ASCII digits) and ``jti`` present and
valid; ``sv`` equal to the user's session version (a password change ends every earlier
token); ``fam``, the login (refresh-token family) the token was issued for, still active —
so logout, refresh reuse and logout-everywhere refuse the family's access tokens at once;
``jti`` not on the logout deny-list (kept in the cache until the token would expire).
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from dataclasses import dataclass

import jwt
from django.conf import settings
from django.core.cache import cache

from accounts.models import User
from accounts.services.keys import signing_key
from common.errors import Unauthorized

ALGORITHM = "RS256"
TOKEN_TYPE = "at+jwt"
REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp", "iat", "jti", "fam"]
_USER_ID = re.compile(r"[1-9][0-9]{0,17}")  # ASCII only: "¹".isdigit() is True


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    session_version: int
    jti: str
    exp: int
    family_id: uuid.UUID


def _invalid() -> Unauthorized:
    return Unauthorized("Invalid or expired access token", code="invalid_token")


def access_token_issue(*, user: User, family_id: uuid.UUID, now: int | None = None) -> str:
    """An access token of ``user`` for the login (refresh-token family) ``family_id``."""
    now = int(time.time()) if now is None else now
    claims = {
        "iss": settings.JWT_ISSUER,
        "aud": settings.JWT_AUDIENCE,
        "sub": str(user.pk),
        "iat": now,
        "exp": now + settings.JWT_ACCESS_TTL_S,
        "jti": secrets.token_urlsafe(16),
        "sv": user.session_version,
        "fam": str(family_id),
    }
    key = signing_key()
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM,
                      headers={"kid": key.kid, "typ": TOKEN_TYPE})


def _checked_header(token: str) -> None:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise _invalid() from exc
    expected = {"alg": ALGORITHM, "typ": TOKEN_TYPE, "kid": signing_key().kid}
    if any(header.get(name) != value for name, value in expected.items()):
        raise _invalid()


def _family(value: object) -> uuid.UUID:
    if not isinstance(value, str) or len(value) != 36:
        raise _invalid()
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise _invalid() from exc


def _claims(payload: dict[str, object]) -> AccessClaims:
    sub, sv, exp = payload["sub"], payload.get("sv"), payload["exp"]
    if not isinstance(sub, str) or not _USER_ID.fullmatch(sub):
        raise _invalid()
    if type(sv) is not int or type(exp) not in (int, float):
        raise _invalid()
    return AccessClaims(user_id=int(sub), session_version=sv, jti=str(payload["jti"]),
                        exp=int(exp), family_id=_family(payload["fam"]))  # type: ignore[arg-type]


def access_token_decode(token: str) -> AccessClaims:
    """Verify header, signature and claims (no database access). Raises Unauthorized."""
    _checked_header(token)
    try:
        payload = jwt.decode(
            token,
            signing_key().public_key,
            algorithms=[ALGORITHM],
            audience=settings.JWT_AUDIENCE,
            issuer=settings.JWT_ISSUER,
            leeway=settings.JWT_LEEWAY_S,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError as exc:
        raise _invalid() from exc
    return _claims(payload)


def _deny_key(jti: str) -> str:
    return f"jwt:deny:{jti}"


def access_token_revoke(*, claims: AccessClaims) -> None:
    """Deny-list one token until it expires (logout)."""
    remaining_s = claims.exp - int(time.time()) + settings.JWT_LEEWAY_S
    if remaining_s > 0:
        cache.set(_deny_key(claims.jti), 1, timeout=remaining_s)


def access_token_user(token: str) -> tuple[User, AccessClaims]:
    """The active user a valid, unrevoked token speaks for. Raises Unauthorized."""
    claims = access_token_decode(token)
    if cache.get(_deny_key(claims.jti)) is not None:
        raise _invalid()
    user = User.objects.filter(pk=claims.user_id, is_active=True,
                               token_families__pk=claims.family_id,
                               token_families__revoked_at__isnull=True).first()
    if user is None or user.session_version != claims.session_version:
        raise _invalid()
    return user, claims
