"""Single-use tokens sent by mail (password reset, address verification).

A token is 256 random bits, URL-safe; only its SHA-256 digest is stored. Consuming one is
atomic (a second use, even a concurrent one, finds it spent), and a token is good only for
its purpose, before its expiry, and while the account's address is still the one it was
sent to.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import EmailToken, User
from common.errors import BadRequest


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def email_token_issue(*, user: User, purpose: str, ttl_s: int) -> str:
    """A new token for ``user`` and ``purpose``, valid ``ttl_s`` seconds."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    EmailToken.objects.create(user=user, purpose=purpose, token_hash=_digest(token),
                              email=user.email, created_at=now,
                              expires_at=now + timedelta(seconds=ttl_s))
    return token


def _invalid(purpose: str) -> BadRequest:
    what = "password reset" if purpose == EmailToken.RESET else "verification"
    return BadRequest(f"This {what} link is invalid, expired or already used; ask for a new one",
                      code="invalid_token")


def email_token_consume(*, token: str, purpose: str,
                        before_spend: Callable[[User], None] | None = None) -> User:
    """Spend ``token``; the user it was issued to. BadRequest when unusable.

    ``before_spend(user)`` may refuse (raise) and leave the token unspent, e.g. when the new
    password breaks the rules: the user fixes it and uses the same link.
    """
    now = timezone.now()
    with transaction.atomic():
        row = (EmailToken.objects.select_for_update().select_related("user")
               .filter(token_hash=_digest(token), purpose=purpose).first())
        if row is None or row.used_at is not None or now >= row.expires_at:
            raise _invalid(purpose)
        if not row.user.is_active or row.user.email != row.email:
            raise _invalid(purpose)
        if before_spend is not None:
            before_spend(row.user)
        row.used_at = now
        row.save(update_fields=["used_at"])
    return row.user


def email_tokens_spend_all(*, user: User, purpose: str) -> int:
    """Spend every outstanding token of ``user`` for ``purpose`` (after a reset)."""
    return EmailToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
        used_at=timezone.now())
