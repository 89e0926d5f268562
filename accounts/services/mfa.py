"""TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s steps) and recovery codes.

Enroll stores a fresh 160-bit secret (encrypted by the vault) and returns it with an
``otpauth://`` URI; confirm with a first code turns MFA on and returns ten recovery
codes once. Codes are accepted one step either side of now, and a step already used is
refused (no replay inside the window). Recovery codes carry 125 bits and are stored as
SHA-256 digests, each good once. Every attempt counts against the ``mfa_account`` and
``mfa_ip`` rate limits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import MfaDevice, RecoveryCode, User
from accounts.services.audit import RequestMeta, audit_record
from accounts.services.passwords import password_matches
from accounts.services.ratelimit import ratelimit_hit
from accounts.services.vault import vault
from common.errors import Conflict, Forbidden, InvalidInput

ISSUER = "GPUBroker"
STEP_S = 30
RECOVERY_CODE_COUNT = 10
_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass(frozen=True)
class Enrollment:
    secret: str
    otpauth_uri: str


def mfa_aad(user_id: int) -> bytes:
    """Associated data binding a stored TOTP secret to its user."""
    return f"gpubroker/totp/{user_id}".encode()


def mfa_device_secret(device: MfaDevice) -> str:
    return vault().decrypt(device.secret_ciphertext, aad=mfa_aad(device.user_id)).decode()


def mfa_enroll(*, user: User, password: str, meta: RequestMeta) -> Enrollment:
    """Start (or restart) enrollment; needs the password (step-up), refused while MFA is on."""

    if MfaDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        raise Conflict("MFA is already enabled; disable it first", code="mfa_already_enabled")
    stepup_verify(user=user, password=password, otp=None, meta=meta, action="mfa_enroll")
    secret = pyotp.random_base32(32)
    MfaDevice.objects.update_or_create(user=user, defaults={
        "secret_ciphertext": vault().encrypt(secret.encode(), aad=mfa_aad(user.pk)),
        "created_at": timezone.now(), "confirmed_at": None, "last_used_step": None,
    })
    audit_record(event="mfa_enroll_started", user=user, meta=meta)
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return Enrollment(secret=secret, otpauth_uri=uri)


def _matching_step(secret: str, otp: str, now: float) -> int | None:
    # ASCII digits only: "١٢٣٤٥٦".isdigit() is True, and compare_digest refuses non-ASCII str
    if len(otp) != 6 or not (otp.isascii() and otp.isdigit()):
        return None
    totp, current = pyotp.TOTP(secret), int(now // STEP_S)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.at(step * STEP_S).encode(), otp.encode()):
            return step
    return None


def _totp_accept(device: MfaDevice, otp: str) -> bool:
    step = _matching_step(mfa_device_secret(device), otp, time.time())
    if step is None:
        return False
    fresh = Q(last_used_step__isnull=True) | Q(last_used_step__lt=step)
    return MfaDevice.objects.filter(fresh, pk=device.pk).update(last_used_step=step) == 1


def _code_normalize(code: str) -> str:
    return "".join(c for c in code.upper() if c.isascii() and c.isalnum())


def _code_digest(code: str) -> str:
    return hashlib.sha256(_code_normalize(code).encode()).hexdigest()


def _recovery_accept(user: User, code: str, meta: RequestMeta) -> bool:
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_code_digest(code), used_at__isnull=True,
    ).update(used_at=timezone.now())
    if used:
        audit_record(event="mfa_recovery_code_used", user=user, meta=meta)
    return bool(used)


def _recovery_codes_new(user: User) -> list[str]:
    codes = ["".join(secrets.choice(_BASE32) for _ in range(25))
             for _ in range(RECOVERY_CODE_COUNT)]
    shown = ["-".join(c[i:i + 5] for i in range(0, 25, 5)) for c in codes]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_code_digest(c)) for c in codes)
    return shown


def _count_attempt(user: User, meta: RequestMeta) -> None:
    ratelimit_hit(scope="mfa_ip", ident=meta.ip or "unknown")
    ratelimit_hit(scope="mfa_account", ident=str(user.pk))


def mfa_enabled_device(user: User) -> MfaDevice | None:
    return MfaDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def mfa_check(*, user: User, otp: str, meta: RequestMeta) -> bool:
    """A current TOTP code or an unused recovery code of ``user`` (counted, rate-limited)."""
    device = mfa_enabled_device(user)
    if device is None:
        return False
    _count_attempt(user, meta)
    otp = otp.strip()
    return _totp_accept(device, otp) or (len(otp) > 6 and _recovery_accept(user, otp, meta))


def mfa_confirm(*, user: User, otp: str, meta: RequestMeta) -> list[str]:
    """Turn MFA on with a first code; returns the recovery codes (shown only now)."""
    device = MfaDevice.objects.filter(user=user).first()
    if device is None or device.confirmed_at is not None:
        raise Conflict("No MFA enrollment is waiting for confirmation", code="mfa_not_pending")
    _count_attempt(user, meta)
    if not _totp_accept(device, otp.strip()):
        raise InvalidInput("The code is not valid", code="invalid_otp")
    with transaction.atomic():
        MfaDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
        codes = _recovery_codes_new(user)
    audit_record(event="mfa_enabled", user=user, meta=meta)
    return codes


def mfa_disable(*, user: User, password: str, otp: str, meta: RequestMeta) -> None:
    """Turn MFA off; needs the password and a current code (or a recovery code)."""

    if mfa_enabled_device(user) is None:
        raise Conflict("MFA is not enabled", code="mfa_not_enabled")
    stepup_verify(user=user, password=password, otp=otp, meta=meta, action="mfa_disable")
    with transaction.atomic():
        MfaDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
    audit_record(event="mfa_disabled", user=user, meta=meta)


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
