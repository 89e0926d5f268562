"""Step-up: sensitive changes need the current password (and the code with MFA on).

Regression for the probe's finding: MFA could be switched on with a stolen access token
alone, after which the owner was locked out.
"""

from __future__ import annotations

from typing import Any

import pytest

from accounts.models import AuditEvent, MfaDevice, ProviderKey, User
from tests.accounts.conftest import PASSWORD, Api, key_body
from tests.accounts.test_mfa import _enable, code

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new passphrase 2026"


def test_a_stolen_access_token_alone_cannot_turn_mfa_on(api: Api, user: User) -> None:
    response = api.post("/mfa/enroll", {})
    assert response.status_code == 422
    wrong = api.post("/mfa/enroll", {"password": "the thief's guess 1"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "invalid_credentials"
    assert not MfaDevice.objects.exists()
    assert AuditEvent.objects.filter(user=user, event="stepup_failed",
                                     details__action="mfa_enroll").exists()


def test_enroll_with_the_password_works(api: Api) -> None:
    response = api.post("/mfa/enroll", {"password": PASSWORD})
    assert response.status_code == 200 and response.json()["secret"]


@pytest.mark.parametrize(("path", "body"), [
    ("/provider-keys", {"provider": "runpod", "api_key": "rpa_0123456789abcdef"}),
    ("/change-password", {"new_password": NEW_PASSWORD}),
])
def test_key_and_password_changes_need_the_password(api: Api, path: str,
                                                    body: dict[str, Any]) -> None:
    assert api.post(path, body).status_code == 422  # the password field is required
    field = "current_password" if path == "/change-password" else "password"
    wrong = api.post(path, {**body, field: "not the password 9"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "invalid_credentials"
    assert not ProviderKey.objects.exists()


def test_deleting_a_provider_key_needs_the_password(api: Api) -> None:
    key_id = api.post("/provider-keys", key_body("runpod", "rpa_0123456789abcdef")).json()["id"]
    assert api.delete(f"/provider-keys/{key_id}").status_code == 422
    assert api.delete(f"/provider-keys/{key_id}", {"password": "wrong one 123"}).status_code == 403
    assert ProviderKey.objects.filter(pk=key_id).exists()
    assert api.delete(f"/provider-keys/{key_id}", {"password": PASSWORD}).status_code == 204


@pytest.mark.parametrize("change", ["key", "password"])
def test_with_mfa_on_a_change_also_needs_a_code(api: Api, change: str) -> None:
    secret, _ = _enable(api)
    path, body = (("/provider-keys", key_body("vastai", "vast_0123456789abcdef")) if change == "key"
                  else ("/change-password", {"current_password": PASSWORD,
                                             "new_password": NEW_PASSWORD}))
    missing = api.post(path, body)
    assert missing.status_code == 403 and missing.json()["code"] == "mfa_required"
    wrong = api.post(path, {**body, "otp": "000000"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "invalid_otp"
    assert api.post(path, {**body, "otp": code(secret, 1)}).status_code in (200, 201)
