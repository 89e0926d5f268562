"""Refresh tokens as the OAuth 2.0 Security BCP asks: opaque, stored hashed, rotated.

Each login starts a ``TokenFamily``. Every refresh spends the presented token and issues
the next one in the same family; a family ends at a fixed age however often it rotates.
Presenting a spent token again means two parties hold it (one of them a thief): the whole
family is revoked and ``refresh_reuse`` is written to the audit log. A legitimate client
that sends the same refresh twice in a race is logged out too; that is the price of the
rule, and the client simply logs in again.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import RefreshToken, TokenFamily, User
from accounts.services.audit import RequestMeta, audit_record
from accounts.services.tokens import access_token_issue
from common.errors import Unauthorized


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "Bearer"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invalid() -> Unauthorized:
    return Unauthorized("Invalid or expired refresh token", code="invalid_refresh_token")


def _refresh_token_new(*, family: TokenFamily, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    expires_at = min(now + timedelta(seconds=settings.REFRESH_TOKEN_TTL_S), family.expires_at)
    RefreshToken.objects.create(family=family, token_hash=_digest(token), created_at=now,
                                expires_at=expires_at)
    return token


def _pair(*, user: User, family: TokenFamily, now: datetime) -> TokenPair:
    return TokenPair(access_token=access_token_issue(user=user, family_id=family.pk),
                     refresh_token=_refresh_token_new(family=family, now=now),
                     expires_in=settings.JWT_ACCESS_TTL_S)


def token_pair_issue(*, user: User) -> TokenPair:
    """A fresh login: a new family, its first refresh token and an access token."""
    now = timezone.now()
    family = TokenFamily.objects.create(
        user=user, created_at=now,
        expires_at=now + timedelta(seconds=settings.REFRESH_FAMILY_MAX_AGE_S),
    )
    return _pair(user=user, family=family, now=now)


def _rotate(row: RefreshToken, now: datetime) -> TokenPair | None:
    """Spend ``row`` and issue the next pair; None when it was already spent."""
    with transaction.atomic():
        family = TokenFamily.objects.select_for_update().select_related("user").get(
            pk=row.family_id)
        spent = RefreshToken.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now)
        if not spent:
            return None
        if family.revoked_at or now >= family.expires_at or not family.user.is_active:
            raise _invalid()
        return _pair(user=family.user, family=family, now=now)


def _reuse_detected(row: RefreshToken, meta: RequestMeta) -> None:
    was_active = TokenFamily.objects.filter(pk=row.family_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason="reuse")
    audit_record(event="refresh_reuse", user=row.family.user, meta=meta,
                 family=str(row.family_id), family_was_active=bool(was_active))


def token_pair_refresh(*, refresh_token: str, meta: RequestMeta) -> TokenPair:
    """Rotate: a valid unspent token buys a new pair; a spent one revokes its family."""
    row = (RefreshToken.objects.select_related("family__user")
           .filter(token_hash=_digest(refresh_token)).first())
    if row is None:
        raise _invalid()
    now = timezone.now()
    if row.used_at is None and now >= row.expires_at:
        raise _invalid()
    pair = _rotate(row, now) if row.used_at is None else None
    if pair is None:
        _reuse_detected(row, meta)
        raise _invalid()
    return pair


def token_family_revoke(*, user: User, family_id: uuid.UUID | None = None,
                        refresh_token: str | None = None, reason: str) -> bool:
    """End a login of ``user``: the family ``family_id`` (an access token's ``fam``) and/or
    the one ``refresh_token`` belongs to (logout)."""
    families = TokenFamily.objects.none()
    if family_id is not None:
        families |= TokenFamily.objects.filter(pk=family_id, user=user)
    if refresh_token:
        families |= TokenFamily.objects.filter(
            user=user, tokens__token_hash=_digest(refresh_token))
    return bool(TokenFamily.objects.filter(pk__in=families.values("pk"), revoked_at__isnull=True)
                .update(revoked_at=timezone.now(), revoked_reason=reason))


def token_families_revoke_all(*, user: User, reason: str) -> int:
    """End every login of ``user`` (password change, logout everywhere)."""
    return TokenFamily.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason)


def token_families_purge(*, now: datetime | None = None) -> int:
    """Delete logins that can no longer refresh (expired, or revoked a day ago or more).

    Revoked families are kept a day so a late replay still reads as reuse in the audit.
    """
    now = timezone.now() if now is None else now
    dead = TokenFamily.objects.filter(expires_at__lt=now) | TokenFamily.objects.filter(
        revoked_at__lt=now - timedelta(days=1))
    deleted, _ = TokenFamily.objects.filter(pk__in=dead.values("pk")).delete()
    return deleted
