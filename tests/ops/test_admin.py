"""The admin at /admin/: staff only, MFA enforced at login, secrets never shown."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.test import Client

from accounts.models import MfaDevice, ProviderKey, User
from accounts.services.audit import RequestMeta
from accounts.services.mfa import mfa_confirm, mfa_enroll
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _staff(mfa: bool, **extra: object) -> tuple[User, str | None]:
    user = User.objects.create_user(email="ops@example.com", password=PASSWORD, is_staff=True,
                                    **extra)
    if not mfa:
        return user, None
    secret = mfa_enroll(user=user, password=PASSWORD, meta=RequestMeta()).secret
    mfa_confirm(user=user, otp=pyotp.TOTP(secret).now(), meta=RequestMeta())
    return user, secret


def _login(client: Client, otp: str) -> int:
    answer = client.post("/admin/login/?next=/admin/", {
        "username": "ops@example.com", "password": PASSWORD, "otp": otp})
    return answer.status_code


def test_staff_with_mfa_logs_in_with_the_code() -> None:
    _, secret = _staff(mfa=True)
    client = Client()
    assert secret is not None
    assert _login(client, "000000") == 200  # the form again, with the error
    assert client.get("/admin/").status_code == 302
    assert _login(client, pyotp.TOTP(secret).at(time.time() + 30)) == 302
    index = client.get("/admin/")
    assert index.status_code == 200 and b"GPUBroker operations" in index.content


def test_staff_without_mfa_cannot_log_in() -> None:
    _staff(mfa=False)
    client = Client()
    answer = client.post("/admin/login/?next=/admin/", {
        "username": "ops@example.com", "password": PASSWORD, "otp": "123456"})
    assert answer.status_code == 200 and b"Staff accounts need MFA" in answer.content
    assert client.get("/admin/").status_code == 302


def test_a_forced_session_without_mfa_is_not_enough() -> None:
    user, _ = _staff(mfa=False)
    client = Client()
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


def test_non_staff_cannot_enter() -> None:
    user = User.objects.create_user(email="ada@example.com", password=PASSWORD)
    client = Client()
    client.force_login(user)
    assert client.get("/admin/").status_code == 302


def test_provider_keys_show_no_ciphertext() -> None:
    user, _ = _staff(mfa=True, is_superuser=True)
    ProviderKey.objects.create(user=user, provider="runpod", ciphertext="SECRET-CIPHERTEXT",
                               last4="abcd")
    client = Client()
    client.force_login(user)
    assert MfaDevice.objects.filter(user=user).exists()
    page = client.get(f"/admin/accounts/providerkey/{ProviderKey.objects.get().pk}/change/")
    assert page.status_code == 200 and b"SECRET-CIPHERTEXT" not in page.content
    assert b"abcd" in page.content
