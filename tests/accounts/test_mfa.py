"""TOTP MFA: enroll, confirm, login needs the code, recovery codes, disable; bypasses fail."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
from django.test import Client

from accounts.models import AuditEvent, MfaDevice, RecoveryCode, User
from tests.accounts.conftest import PASSWORD, Api, post

pytestmark = pytest.mark.django_db


def code(secret: str, step_offset: int = 0) -> str:
    """The code of the step ``step_offset`` away from now (the window is -1..+1)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * step_offset)


def _enable(api: Api) -> tuple[str, list[str]]:
    secret = api.post("/mfa/enroll", {"password": PASSWORD}).json()["secret"]
    confirmed = api.post("/mfa/confirm", {"otp": code(secret, -1)})
    assert confirmed.status_code == 200, confirmed.content
    return secret, confirmed.json()["recovery_codes"]


def _login(otp: str | None = None, **extra: Any) -> Any:
    body: dict[str, Any] = {"email": "ada@example.com", "password": PASSWORD}
    if otp is not None:
        body["otp"] = otp
    return post(Client(), "/login", body, **extra)


def test_enroll_returns_a_secret_and_an_otpauth_uri(api: Api, user: User) -> None:
    body = api.post("/mfa/enroll", {"password": PASSWORD}).json()
    uri = urlparse(body["otpauth_uri"])
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert parse_qs(uri.query)["secret"] == [body["secret"]]
    assert parse_qs(uri.query)["issuer"] == ["GPUBroker"]
    assert len(body["secret"]) == 32  # 160 bits of base32
    assert body["secret"] not in MfaDevice.objects.get().secret_ciphertext  # encrypted
    assert _login().status_code == 200  # not required before confirmation


def test_confirm_needs_a_valid_code(api: Api) -> None:
    api.post("/mfa/enroll", {"password": PASSWORD})
    response = api.post("/mfa/confirm", {"otp": "000000"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_otp"
    assert api.get("/me").json()["mfa_enabled"] is False


def test_once_enabled_login_requires_the_code(api: Api, user: User) -> None:
    secret, codes = _enable(api)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert api.get("/me").json()["mfa_enabled"] is True
    missing = _login()
    assert missing.status_code == 401 and missing.json()["code"] == "mfa_required"
    wrong = _login("123456")
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_otp"
    assert _login(code(secret)).status_code == 200
    events = set(AuditEvent.objects.filter(user=user).values_list("event", flat=True))
    assert {"mfa_enroll_started", "mfa_enabled", "login_mfa_failed", "login_ok"} <= events


def test_a_wrong_password_with_mfa_is_plain_invalid_credentials(api: Api) -> None:
    secret, _ = _enable(api)
    body = {"email": "ada@example.com", "password": "wrong wrong wrong", "otp": code(secret)}
    response = post(Client(), "/login", body)
    assert response.json()["code"] == "invalid_credentials"


def test_a_code_cannot_be_replayed_within_its_window(api: Api) -> None:
    secret, _ = _enable(api)
    now_code = code(secret)
    assert _login(now_code).status_code == 200
    assert _login(now_code).json()["code"] == "invalid_otp"
    assert _login(code(secret, -1)).json()["code"] == "invalid_otp"  # older step too


def test_codes_outside_the_window_are_refused(api: Api) -> None:
    secret, _ = _enable(api)
    assert _login(code(secret, 3)).json()["code"] == "invalid_otp"


def test_recovery_codes_work_once_each(api: Api, user: User) -> None:
    _, codes = _enable(api)
    assert _login(codes[0].lower()).status_code == 200  # case and dashes do not matter
    assert _login(codes[0]).json()["code"] == "invalid_otp"
    assert _login(codes[1].replace("-", "")).status_code == 200
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 2
    assert AuditEvent.objects.filter(user=user, event="mfa_recovery_code_used").count() == 2
    assert not any(c.replace("-", "") in h for c in codes
                   for h in RecoveryCode.objects.values_list("code_hash", flat=True))


def test_another_users_recovery_code_does_not_work(api: Api, other_api: Api) -> None:
    _enable(api)
    _, others = _enable(other_api)
    assert _login(others[0]).json()["code"] == "invalid_otp"


def test_mfa_attempts_are_rate_limited(api: Api, settings: Any) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS, "mfa_account": "3/300"}
    secret, _ = _enable(api)  # the confirmation was attempt 1
    for _ in range(2):
        assert _login("000000").status_code == 401
    limited = _login(code(secret))
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 300


def test_mfa_attempts_are_rate_limited_per_ip(api: Api, other_api: Api, settings: Any) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS, "mfa_ip": "2/300"}
    _enable(api)  # attempt 1 from 127.0.0.1
    assert _login("000000").status_code == 401
    assert _login("000000").status_code == 429


def test_enroll_again_while_enabled_is_refused(api: Api) -> None:
    _enable(api)
    assert api.post("/mfa/enroll", {"password": PASSWORD}).status_code == 409


def test_confirm_without_enrollment_is_refused(api: Api) -> None:
    assert api.post("/mfa/confirm", {"otp": "123456"}).status_code == 409


def test_disable_needs_password_and_code(api: Api, user: User) -> None:
    secret, _ = _enable(api)
    bad_password = api.post("/mfa/disable", {"password": "nope nope nope", "otp": code(secret)})
    assert bad_password.status_code == 403
    bad_code = api.post("/mfa/disable", {"password": PASSWORD, "otp": "000000"})
    assert bad_code.status_code == 403
    assert api.get("/me").json()["mfa_enabled"] is True
    disabled = api.post("/mfa/disable", {"password": PASSWORD, "otp": code(secret, 1)})
    assert disabled.status_code == 204
    assert api.get("/me").json()["mfa_enabled"] is False
    assert not RecoveryCode.objects.exists()
    assert _login().status_code == 200
    assert AuditEvent.objects.filter(user=user, event="mfa_disabled").exists()


def test_disable_with_a_recovery_code(api: Api) -> None:
    _, codes = _enable(api)
    assert api.post("/mfa/disable", {"password": PASSWORD, "otp": codes[5]}).status_code == 204


def test_disable_when_not_enabled_is_refused(api: Api) -> None:
    assert api.post("/mfa/disable", {"password": PASSWORD, "otp": "123456"}).status_code == 409
