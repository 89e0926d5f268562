"""Register, log in, change password: the answers tell nobody who has an account.

* login: an unknown e-mail, an inactive user and a wrong password get the same 401
  ``invalid_credentials`` after the same Argon2 work (a dummy hash is checked when there
  is no user). Only after a correct password does a user with MFA hear ``mfa_required``
  or ``invalid_otp``. Attempts count per IP and per e-mail (known or not) before the
  password is looked at, so the 429 does not depend on the account existing either.
* register: answers 202 with one generic message whether the address was free or taken,
  after hashing the password in both cases; taking an address is logged for its owner.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.db.models import F

from accounts.models import User
from accounts.services.audit import RequestMeta, audit_record
from accounts.services.mail import mail_send
from accounts.services.mfa import mfa_check, mfa_enabled_device
from accounts.services.passwords import password_matches, password_validate
from accounts.services.ratelimit import ratelimit_hit, ratelimit_reset
from accounts.services.recovery import email_verification_send
from accounts.services.refresh import (
    TokenPair,
    token_families_revoke_all,
    token_family_revoke,
    token_pair_issue,
)
from accounts.services.stepup import stepup_verify
from accounts.services.tokens import AccessClaims, access_token_revoke
from common.errors import Unauthorized

REGISTER_MESSAGE = ("Registration received. If this address was not registered yet, the "
                    "account is ready: log in with your e-mail address and password.")


def email_normalize(email: str) -> str:
    return email.strip().lower()


def user_register(*, email: str, password: str, meta: RequestMeta) -> str:
    """Create an account; same answer (and work) whether or not the address is taken."""
    ratelimit_hit(scope="register_ip", ident=meta.ip or "unknown")
    email = email_normalize(email)
    password_validate(password=password, user=User(email=email))
    encoded = make_password(password)
    try:
        with transaction.atomic():
            user = User.objects.create(email=email, password=encoded)
    except IntegrityError:
        existing = User.objects.get(email=email)
        audit_record(event="register_existing", user=existing, meta=meta)
        mail_send(to=existing.email, subject="Someone tried to register with your address",
                  template="register_existing", context={"email": existing.email})
    else:
        audit_record(event="register", user=user, meta=meta)
        email_verification_send(user=user)
    return REGISTER_MESSAGE


def _bad_credentials() -> Unauthorized:
    return Unauthorized("Invalid e-mail or password", code="invalid_credentials")


def _second_factor(user: User, otp: str | None, meta: RequestMeta) -> None:
    if mfa_enabled_device(user) is None:
        return
    if not otp:
        raise Unauthorized("A one-time code is required", code="mfa_required")
    if not mfa_check(user=user, otp=otp, meta=meta):
        audit_record(event="login_mfa_failed", user=user, meta=meta)
        raise Unauthorized("The one-time code is not valid", code="invalid_otp")


def user_login(*, email: str, password: str, otp: str | None, meta: RequestMeta) -> TokenPair:
    email = email_normalize(email)
    ratelimit_hit(scope="login_ip", ident=meta.ip or "unknown")
    ratelimit_hit(scope="login_account", ident=email)
    user = User.objects.filter(email=email).first()
    if not password_matches(user=user, password=password):
        audit_record(event="login_failed", user=user if user and user.is_active else None,
                     meta=meta)
        raise _bad_credentials()
    assert user is not None
    _second_factor(user, otp, meta)
    ratelimit_reset(scope="login_account", ident=email)
    audit_record(event="login_ok", user=user, meta=meta)
    return token_pair_issue(user=user)


def user_password_change(
    *, user: User, current_password: str, otp: str | None, new_password: str,
    meta: RequestMeta,
) -> TokenPair:
    """New password (step-up: the current one, and a code with MFA on); every other login
    and access token of the user ends."""
    stepup_verify(user=user, password=current_password, otp=otp, meta=meta,
                   action="password_change")
    password_validate(password=new_password, user=user)
    user.set_password(new_password)
    user.session_version += 1
    user.save(update_fields=["password", "session_version"])
    token_families_revoke_all(user=user, reason="password_change")
    audit_record(event="password_changed", user=user, meta=meta)
    return token_pair_issue(user=user)


def user_logout(
    *, user: User, claims: AccessClaims, refresh_token: str | None, everywhere: bool,
    meta: RequestMeta,
) -> None:
    """End this access token and its login, or (``everywhere``) every login of the user."""
    access_token_revoke(claims=claims)
    if everywhere:
        User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
        token_families_revoke_all(user=user, reason="logout_everywhere")
    else:  # the login this access token belongs to, and the refresh token's if sent
        token_family_revoke(user=user, family_id=claims.family_id, refresh_token=refresh_token,
                            reason="logout")
    audit_record(event="logout", user=user, meta=meta, everywhere=everywhere)
