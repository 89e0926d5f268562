"""Personal API tokens for scripts and the CLI.

A token is ``gpb_`` + 256 random bits, shown once at creation; only its SHA-256 digest is
stored. It is sent like an access token (``Authorization: Bearer gpb_…``) and allows:

* ``read``: every GET;
* ``write``: besides, the writes listed in ``WRITE_PATHS`` (alerts, saved searches,
  provider keys).

Account changes (password, MFA, tokens, e-mail, erasure, logout) are never allowed by a
token: they need a login. Creating one needs the password (and OTP when MFA is on).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import ApiToken, User
from accounts.services.audit import RequestMeta, audit_record
from accounts.services.quotas import quota_check
from accounts.services.stepup import stepup_verify
from common.errors import BadRequest, Conflict, Forbidden, NotFound, Unauthorized

PREFIX = "gpb_"
SCOPES = ("read", "write")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_PATHS = ("/api/v2/alerts/", "/api/v2/auth/saved-searches", "/api/v2/auth/provider-keys",
               "/api/v2/providers/saved")
_LAST_USED_EVERY = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_is_personal(token: str) -> bool:
    return token.startswith(PREFIX)


def _scopes_checked(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or "read" not in scopes:
        raise BadRequest('scopes must be ["read"] or ["read", "write"]'
                         + (f"; unknown: {', '.join(unknown)}" if unknown else ""),
                         code="invalid_scopes")
    return [s for s in SCOPES if s in scopes]


def _expiry(expires_in_days: int | None) -> datetime | None:
    if expires_in_days is None:
        return None
    top = settings.GPUBROKER_API_TOKEN_MAX_DAYS
    if not 1 <= expires_in_days <= top:
        raise BadRequest(f"expires_in_days must be between 1 and {top}", code="invalid_expiry")
    return timezone.now() + timedelta(days=expires_in_days)


def api_token_create(*, user: User, name: str, scopes: list[str], expires_in_days: int | None,
                     password: str, otp: str | None, meta: RequestMeta) -> tuple[ApiToken, str]:
    """A new token (the row, and the secret to show once)."""
    stepup_verify(user=user, password=password, otp=otp, action="api_token_create", meta=meta)
    scopes = _scopes_checked(scopes)
    expires_at = _expiry(expires_in_days)
    quota_check(user=user, resource="api_tokens")
    token = PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            row = ApiToken.objects.create(user=user, name=name.strip(), scopes=scopes,
                                          token_hash=_digest(token), prefix=token[:10],
                                          expires_at=expires_at)
    except IntegrityError as exc:
        raise Conflict(f"You already have a token named '{name.strip()}'",
                       code="duplicate_name") from exc
    audit_record(event="api_token_created", user=user, meta=meta, token_id=row.pk,
                 scopes=scopes)
    return row, token


def api_token_delete(*, user: User, token_id: int, meta: RequestMeta) -> None:
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise NotFound("No such API token")
    audit_record(event="api_token_revoked", user=user, meta=meta, token_id=token_id)


def api_token_user(token: str) -> tuple[User, ApiToken]:
    """The active user a valid, unexpired personal token speaks for. Raises Unauthorized."""
    row = ApiToken.objects.select_related("user").filter(token_hash=_digest(token)).first()
    now = timezone.now()
    if row is None or not row.user.is_active or (row.expires_at and now >= row.expires_at):
        raise Unauthorized("Invalid, expired or revoked API token", code="invalid_token")
    if row.last_used_at is None or now - row.last_used_at >= _LAST_USED_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user, row


def api_token_authorize(*, row: ApiToken, method: str, path: str) -> None:
    """Raise Forbidden unless ``row``'s scopes allow ``method`` on ``path``."""
    if method.upper() in READ_METHODS:
        return
    if "write" not in row.scopes:
        raise Forbidden("This API token is read-only (scope read)", code="insufficient_scope")
    if not path.startswith(WRITE_PATHS):
        raise Forbidden("API tokens cannot change the account; log in for that",
                        code="insufficient_scope")
