"""The login, MFA and token paths fed arbitrary Unicode: every answer is a 4xx (or a 2xx)
JSON, never a 500. Regression for the probe's 500s: a one-time code in non-ASCII digits
(``hmac.compare_digest`` on non-ASCII text), a token whose ``sub`` is a Unicode digit.

Hypothesis draws any text (every plane, control characters, what NFKC folds into digits)
for e-mail, password, code, refresh token and the Bearer token itself, derandomized and
bounded so the test is deterministic.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.services.refresh import token_pair_issue
from tests.accounts.conftest import AUTH, PASSWORD

pytestmark = pytest.mark.django_db

ANY_TEXT = st.text(max_size=80)
DIGITS = st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=12)
FUZZ = settings(max_examples=60, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.fixture
def bearer(settings: Any) -> str:
    settings.GPUBROKER_RATE_LIMITS = {k: "1000000/60" for k in settings.GPUBROKER_RATE_LIMITS}
    user = User.objects.filter(email="ada@example.com").first() or User.objects.create_user(
        email="ada@example.com", password=PASSWORD, plan="enterprise")
    return token_pair_issue(user=user).access_token


# An answer, never a server error: success, or a 4xx JSON naming the problem.
ANSWERS = {200, 201, 204, 400, 401, 403, 409, 422, 429}


def _post(path: str, body: dict[str, Any], token: str | None = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    response = Client().post(f"{AUTH}{path}", orjson.dumps(body),
                             content_type="application/json", **headers)
    assert response.status_code < 500, (path, body, response.content[:300])
    assert response["Content-Type"].startswith("application/json") or response.status_code == 204
    return response


@FUZZ
@given(email=ANY_TEXT, password=ANY_TEXT, otp=ANY_TEXT | DIGITS)
def test_login_takes_any_text(bearer: str, email: str, password: str, otp: str) -> None:
    assert _post("/login", {"email": email, "password": password, "otp": otp}
                 ).status_code in ANSWERS
    assert _post("/login", {"email": "ada@example.com", "password": PASSWORD, "otp": otp}
                 ).status_code in ANSWERS


@FUZZ
@given(otp=ANY_TEXT | DIGITS)
def test_mfa_confirm_and_disable_take_any_code(bearer: str, otp: str) -> None:
    assert _post("/mfa/enroll", {"password": PASSWORD}, bearer).status_code in ANSWERS
    assert _post("/mfa/confirm", {"otp": otp}, bearer).status_code in ANSWERS
    assert _post("/mfa/disable", {"password": PASSWORD, "otp": otp}, bearer
                 ).status_code in ANSWERS


@FUZZ
@given(token=ANY_TEXT)
def test_refresh_logout_and_bearer_take_any_token(bearer: str, token: str) -> None:
    _post("/refresh", {"refresh_token": token})
    fresh = token_pair_issue(user=User.objects.get(email="ada@example.com")).access_token
    assert _post("/logout", {"refresh_token": token}, fresh).status_code in (204, 401, 422)
    if token.isprintable() and token.strip() and "\r" not in token and "\n" not in token:
        response = Client().get(f"{AUTH}/me", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401, response.content[:300]
