"""Step-up: sensitive changes ask again for what only the account's owner knows.

A stolen access token alone must not be enough to take an account over, so creating API
tokens, erasing the account (and the other changes listed in docs/SECURITY.md) require
the current password, and the one-time code when MFA is on, in the request itself.
"""

from __future__ import annotations

from accounts.models import User
from accounts.services.audit import RequestMeta, audit_record
from accounts.services.mfa import mfa_check, mfa_enabled_device
from accounts.services.passwords import password_matches
from accounts.services.ratelimit import ratelimit_hit
from common.errors import Forbidden


def stepup_verify(*, user: User, password: str, otp: str | None, action: str,
                  meta: RequestMeta) -> None:
    """Raise Forbidden unless ``password`` (and ``otp`` when MFA is on) are ``user``'s."""
    ratelimit_hit(scope="login_account", ident=user.email)
    if not password_matches(user=user, password=password):
        audit_record(event="stepup_failed", user=user, meta=meta, action=action)
        raise Forbidden("The current password is wrong", code="invalid_credentials")
    if mfa_enabled_device(user) is None:
        return
    if not otp:
        raise Forbidden("This change needs your one-time code too", code="mfa_required")
    if not mfa_check(user=user, otp=otp, meta=meta):
        audit_record(event="stepup_failed", user=user, meta=meta, action=action)
        raise Forbidden("The one-time code is not valid", code="invalid_otp")
