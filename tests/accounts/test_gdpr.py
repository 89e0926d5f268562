"""GDPR: the export holds every model that points at the user; erasure leaves no row that
names the user, and one pseudonymous audit event."""

from __future__ import annotations

import json
import time
from typing import Any

import pyotp
import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from accounts.models import AuditEvent, User
from tests.accounts.conftest import AUTH, PASSWORD, Api, bearer

pytestmark = pytest.mark.django_db
SECRET_KEY = "sk-live-0123456789abcdef"


def _models_pointing_at_user() -> list[tuple[type[models.Model], str]]:
    """Walk every installed model (independently of the service's own walk)."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (isinstance(field, models.ForeignKey | models.OneToOneField)
                    and field.related_model is User):
                found.append((model, field.name))
    return found


def next_code(secret: str) -> str:
    """The next step's code (the current one was spent enabling MFA; replays are refused)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def _fill(api: Api) -> str:
    """Give the user a row in what accounts holds: search, key, token, MFA, audit, login."""
    assert api.post("/saved-searches", {"name": "h100", "q": "gpu=H100"}).status_code == 201
    key = api.post("/provider-keys", {"provider": "runpod", "api_key": SECRET_KEY,
                                      "password": PASSWORD})
    assert key.status_code == 201, key.content
    assert api.post("/tokens", {"name": "ci", "scopes": ["read"], "password": PASSWORD}
                    ).status_code == 201
    secret = api.post("/mfa/enroll", {"password": PASSWORD}).json()["secret"]
    assert api.post("/mfa/confirm", {"otp": pyotp.TOTP(secret).now()}).status_code == 200
    return str(secret)


def test_the_export_covers_every_model_with_a_user_key(api: Api, user: User) -> None:
    _fill(api)
    export = api.get("/export")
    assert export.status_code == 200
    data = export.json()
    assert data["profile"]["email"] == user.email and data["profile"]["mfa_enabled"] is True
    for model, _ in _models_pointing_at_user():
        assert model._meta.label in data, model._meta.label
    assert data["accounts.ProviderKey"][0]["last4"] == SECRET_KEY[-4:]
    text = json.dumps(data)
    assert SECRET_KEY not in text
    for secret_field in ("ciphertext", "secret_ciphertext", "token_hash", "code_hash",
                         "password"):
        assert f'"{secret_field}"' not in text
    assert {e["event"] for e in data["accounts.AuditEvent"]} >= {"login_ok", "mfa_enabled"}


def test_the_export_is_the_users_own(api: Api, other_api: Api) -> None:
    _fill(api)
    data = other_api.get("/export").json()
    assert data["market.SavedSearch"] == [] and data["accounts.ProviderKey"] == []


def _rows_naming(user_id: int, email: str) -> list[str]:
    hits = []
    for model, field in _models_pointing_at_user():
        if model._default_manager.filter(**{f"{field}_id": user_id}).exists():
            hits.append(f"{model._meta.label}.{field}")
    for model in apps.get_models():
        text_fields = [f.name for f in model._meta.concrete_fields
                       if isinstance(f, models.CharField | models.TextField | models.JSONField)]
        for row in model._default_manager.values(*text_fields):
            if email in json.dumps(row, default=str):
                hits.append(model._meta.label)
    return hits


def _erase(api: Api, **body: str) -> Any:
    return Client().delete(f"{AUTH}/me", body, content_type="application/json",
                           **bearer(api.tokens["access_token"]))


def test_erasure_needs_the_password_and_the_code(api: Api, user: User) -> None:
    secret = _fill(api)
    assert _erase(api, password="wrong password 123").status_code == 403
    missing_otp = _erase(api, password=PASSWORD)
    assert missing_otp.status_code == 403 and missing_otp.json()["code"] == "mfa_required"
    assert _erase(api, password=PASSWORD, otp="000000").status_code == 403
    assert User.objects.filter(pk=user.pk).exists()
    assert _erase(api, password=PASSWORD, otp=next_code(secret)).status_code == 204


def test_erasure_leaves_no_row_that_names_the_user(api: Api, user: User) -> None:
    secret = _fill(api)
    user_id, email = user.pk, user.email
    assert _rows_naming(user_id, email)  # the check sees the user's rows before
    assert _erase(api, password=PASSWORD, otp=next_code(secret)).status_code == 204
    assert not User.objects.filter(pk=user_id).exists()
    assert _rows_naming(user_id, email) == []
    erased = AuditEvent.objects.get(event="account_erased")
    assert erased.user_id is None and erased.ip is None
    assert email not in json.dumps(erased.details) and len(erased.details["subject"]) == 32
    assert Client().get(f"{AUTH}/me", **bearer(api.tokens["access_token"])).status_code == 401
