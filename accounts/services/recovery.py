"""Password reset and address verification by mail.

* ``password_reset_request`` answers the same (202, one message) whatever the address and
  does the same work for a known and an unknown one: it issues and stores a token either
  way is not needed, but hashing one is — and mail leaves on a background thread, so the
  answer's timing does not tell whether a mail was sent. Counted per IP and per address.
* ``password_reset_confirm`` sets the new password (same rules), spends every outstanding
  reset token, ends every login (refresh families) and every access token issued before
  (session version), deletes the personal API tokens (a reset may follow a takeover), and is
  audited. MFA stays as it was.
* ``email_verification_send`` mails a verification link; ``email_verify`` marks the address
  verified.
"""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from accounts.models import ApiToken, EmailToken, User
from accounts.services.audit import RequestMeta, audit_record
from accounts.services.email_tokens import (
    email_token_consume,
    email_token_issue,
    email_tokens_spend_all,
)
from accounts.services.mail import mail_send
from accounts.services.passwords import password_validate
from accounts.services.ratelimit import ratelimit_hit
from accounts.services.refresh import token_families_revoke_all
from common.errors import Forbidden

RESET_MESSAGE = ("If an account uses this address, a mail with a link to choose a new password "
                 "is on its way. The link works once and expires soon.")


def _link(path: str, token: str) -> str:
    return f"{settings.GPUBROKER_PUBLIC_URL}{path}?{urlencode({'token': token})}"


def password_reset_request(*, email: str, meta: RequestMeta) -> str:
    """Mail a reset link when ``email`` has an active account; the same answer otherwise."""
    email = email.strip().lower()
    ratelimit_hit(scope="password_reset_ip", ident=meta.ip or "unknown")
    ratelimit_hit(scope="password_reset_account", ident=email)
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        hashlib.sha256(secrets.token_urlsafe(32).encode()).hexdigest()  # same work, no row
        return RESET_MESSAGE
    ttl_s = settings.GPUBROKER_PASSWORD_RESET_TTL_S
    token = email_token_issue(user=user, purpose=EmailToken.RESET, ttl_s=ttl_s)
    audit_record(event="password_reset_requested", user=user, meta=meta)
    mail_send(to=user.email, subject="Reset your GPUBroker password", template="password_reset",
              context={"email": user.email, "link": _link("/reset-password", token),
                       "ttl_minutes": max(1, ttl_s // 60)})
    return RESET_MESSAGE


def password_reset_confirm(*, token: str, new_password: str, meta: RequestMeta) -> None:
    """Set a new password with a reset token; every session of the user ends."""
    ratelimit_hit(scope="password_reset_ip", ident=meta.ip or "unknown")
    user = email_token_consume(
        token=token, purpose=EmailToken.RESET,
        before_spend=lambda owner: password_validate(password=new_password, user=owner))
    user.set_password(new_password)
    user.save(update_fields=["password"])
    User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
    email_tokens_spend_all(user=user, purpose=EmailToken.RESET)
    token_families_revoke_all(user=user, reason="password_reset")
    ApiToken.objects.filter(user=user).delete()  # a reset may follow a takeover: no backdoor
    audit_record(event="password_reset", user=user, meta=meta)


def email_verification_send(*, user: User) -> None:
    ttl_s = settings.GPUBROKER_EMAIL_VERIFY_TTL_S
    token = email_token_issue(user=user, purpose=EmailToken.VERIFY, ttl_s=ttl_s)
    mail_send(to=user.email, subject="Confirm your GPUBroker address", template="verify_email",
              context={"email": user.email, "link": _link("/verify-email", token),
                       "ttl_hours": max(1, ttl_s // 3600)})


def email_verification_resend(*, user: User, meta: RequestMeta) -> str:
    """A new verification link for a signed-in user whose address is not verified yet."""
    ratelimit_hit(scope="verify_email_ip", ident=meta.ip or "unknown")
    if user.email_verified_at is not None:
        return f"{user.email} is already verified"
    email_verification_send(user=user)
    return f"A new verification link is on its way to {user.email}"


def email_verify(*, token: str, meta: RequestMeta) -> User:
    ratelimit_hit(scope="verify_email_ip", ident=meta.ip or "unknown")
    user = email_token_consume(token=token, purpose=EmailToken.VERIFY)
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit_record(event="email_verified", user=user, meta=meta)
    return user


def email_verified_required(*, user: User) -> None:
    """Guard for features that mail the user (e-mail alerts): a verified address first."""
    if user.email_verified_at is None:
        raise Forbidden("Verify your e-mail address first (see the mail we sent, or ask for a "
                        "new link)", code="email_unverified")
