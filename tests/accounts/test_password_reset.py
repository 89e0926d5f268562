"""Password reset over real SMTP: single-use, expiring, no enumeration, sessions end."""

from __future__ import annotations

import threading
import time
from typing import Any

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent, EmailToken, User
from tests.accounts.conftest import PASSWORD, Api, bearer, login, post
from tests.accounts.smtp import html_body, link_token, text_body

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a brand new passphrase 77"


def _reset(client: Client, email: str = "ada@example.com") -> Any:
    return post(client, "/password-reset", {"email": email})


def _confirm(client: Client, token: str, password: str = NEW_PASSWORD) -> Any:
    return post(client, "/password-reset/confirm", {"token": token, "new_password": password})


def test_the_link_sets_a_new_password_once(user: User, inbox: Any) -> None:
    client = Client()
    answer = _reset(client)
    assert answer.status_code == 202
    mail = inbox.wait(1)[0]
    assert "ada@example.com" in str(mail["To"]) and "reset" in str(mail["Subject"]).lower()
    token = link_token(mail)
    assert f"token={token}" in html_body(mail)  # the HTML alternative carries the same link
    assert _confirm(client, token).status_code == 200
    assert post(client, "/login", {"email": user.email, "password": PASSWORD}).status_code == 401
    login(client, password=NEW_PASSWORD)
    again = _confirm(client, token, "yet another passphrase 99")
    assert again.status_code == 400 and again.json()["code"] == "invalid_token"
    assert AuditEvent.objects.filter(user=user, event="password_reset").count() == 1


def test_an_expired_link_is_refused(user: User, inbox: Any) -> None:
    client = Client()
    _reset(client)
    token = link_token(inbox.wait(1)[0])
    EmailToken.objects.filter(user=user).update(expires_at=timezone.now())
    assert _confirm(client, token).status_code == 400
    login(client)  # the old password still works


def test_the_lifetime_is_configurable(user: User, inbox: Any, settings: Any) -> None:
    settings.GPUBROKER_PASSWORD_RESET_TTL_S = 120
    _reset(Client())
    inbox.wait(1)
    row = EmailToken.objects.get(user=user)
    assert abs((row.expires_at - row.created_at).total_seconds() - 120) < 1
    assert "2 minutes" in text_body(inbox.messages[0])


def test_a_reset_ends_every_session_and_every_outstanding_link(user: User, inbox: Any) -> None:
    client = Client()
    tokens = login(client)
    _reset(client)
    _reset(client)
    first, second = (link_token(m) for m in inbox.wait(2))
    assert _confirm(client, second).status_code == 200
    assert client.get("/api/v2/auth/me", **bearer(tokens["access_token"])).status_code == 401
    refreshed = post(client, "/refresh", {"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401
    assert _confirm(client, first, "third passphrase of mine 5").status_code == 400


def test_a_reset_keeps_mfa_on(api: Api, user: User, inbox: Any) -> None:
    secret = api.post("/mfa/enroll", {"password": PASSWORD}).json()["secret"]
    assert api.post("/mfa/confirm", {"otp": pyotp.TOTP(secret).now()}).status_code == 200
    client = Client()
    _reset(client)
    assert _confirm(client, link_token(inbox.wait(1)[0])).status_code == 200
    answer = post(client, "/login", {"email": user.email, "password": NEW_PASSWORD})
    assert answer.status_code == 401 and answer.json()["code"] == "mfa_required"


def test_known_and_unknown_addresses_get_the_same_answer(user: User, inbox: Any) -> None:
    client = Client()
    known, unknown = _reset(client), _reset(client, "nobody@example.com")
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())
    inbox.wait(1)
    time.sleep(0.3)
    assert len(inbox.messages) == 1 and not inbox.to("nobody@example.com")


def test_the_answer_never_waits_for_the_mail_server(user: User, inbox: Any) -> None:
    """Delivery runs in the background: with the mail server holding every message, a known
    address is answered as an unknown one is, before any mail is accepted, so the answer's
    timing cannot depend on whether a mail is sent."""
    inbox.gate = threading.Event()
    client = Client()
    known = _reset(client)
    unknown = _reset(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert inbox.messages == []  # both answered while the server still holds the mail
    inbox.gate.set()
    assert len(inbox.wait(1)) == 1


def test_requests_are_rate_limited_per_address(user: User, inbox: Any, settings: Any) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS,
                                      "password_reset_account": "2/3600"}
    client = Client()
    assert [_reset(client).status_code for _ in range(3)] == [202, 202, 429]


def test_the_new_password_follows_the_password_rules(user: User, inbox: Any) -> None:
    client = Client()
    _reset(client)
    token = link_token(inbox.wait(1)[0])
    assert _confirm(client, token, "short").status_code == 400
