"""Sessions end when they should, and hostile tokens or codes never reach a 500.

Regressions for the probe: logout without ``refresh_token`` left the refresh token alive;
access tokens kept working for up to 5 minutes after refresh reuse; a ``sub`` written in
Unicode digits ("¹") and one-time codes in non-ASCII digits answered 500.
"""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from django.test import Client

from accounts.models import TokenFamily, User
from accounts.services.keys import signing_key
from tests.accounts.conftest import AUTH, PASSWORD, Api, bearer, login, post
from tests.accounts.test_mfa import _enable

pytestmark = pytest.mark.django_db
ARABIC_INDIC = "\u0661\u0662\u0663\u0664\u0665\u0666"  # "123456" in Arabic-Indic digits


def _me(token: str) -> Any:
    return Client().get(f"{AUTH}/me", **bearer(token))


def test_logout_without_refresh_token_ends_the_session(api: Api) -> None:
    refresh_token = api.tokens["refresh_token"]
    assert api.post("/logout", {}).status_code == 204
    again = post(Client(), "/refresh", {"refresh_token": refresh_token})
    assert again.status_code == 401
    assert TokenFamily.objects.get().revoked_reason == "logout"


def test_logout_leaves_the_users_other_logins_alone(api: Api, user: User) -> None:
    other = login(Client())
    assert api.post("/logout", {}).status_code == 204
    assert _me(other["access_token"]).status_code == 200


def test_refresh_reuse_refuses_the_familys_access_tokens_at_once(user: User) -> None:
    first = login(Client())
    second = post(Client(), "/refresh", {"refresh_token": first["refresh_token"]}).json()
    assert _me(second["access_token"]).status_code == 200
    reused = post(Client(), "/refresh", {"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    assert _me(second["access_token"]).status_code == 401  # not 5 minutes later: now
    assert _me(first["access_token"]).status_code == 401


@pytest.mark.parametrize("sub", ["\u00b9", "\u0661", "\uff11", "01", " 1", "1" * 30, ""])
def test_a_signed_token_with_an_odd_sub_is_401(user: User, sub: str) -> None:
    now = int(time.time())
    family = TokenFamily.objects.create(user=user, expires_at="2100-01-01T00:00:00Z")
    claims = {"iss": "gpubroker", "aud": "gpubroker-api", "sub": sub, "iat": now,
              "exp": now + 300, "jti": "j1", "sv": user.session_version, "fam": str(family.pk)}
    key = signing_key()
    token = jwt.encode(claims, key.private_key, algorithm="RS256",
                       headers={"kid": key.kid, "typ": "at+jwt"})
    response = _me(token)
    assert response.status_code == 401 and response.json()["code"] == "invalid_token"


@pytest.mark.parametrize("debug", [False, True])
def test_non_ascii_digits_as_a_code_are_refused_at_confirm(api: Api, settings: Any,
                                                          debug: bool) -> None:
    settings.DEBUG = debug
    api.post("/mfa/enroll", {"password": PASSWORD})
    response = api.post("/mfa/confirm", {"otp": ARABIC_INDIC})
    assert response.status_code == 400 and response.json()["code"] == "invalid_otp"


@pytest.mark.parametrize("debug", [False, True])
def test_non_ascii_digits_as_a_code_are_refused_at_login(api: Api, settings: Any,
                                                        debug: bool) -> None:
    _enable(api)
    settings.DEBUG = debug
    response = post(Client(), "/login", {"email": "ada@example.com", "password": PASSWORD,
                                         "otp": ARABIC_INDIC})
    assert response.status_code == 401 and response.json()["code"] == "invalid_otp"
