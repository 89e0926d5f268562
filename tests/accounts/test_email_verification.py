"""Registration mails a verification link; ``me`` says whether the address is verified."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from accounts.services.mail import mail_send
from accounts.services.recovery import email_verified_required
from common.errors import Forbidden
from tests.accounts.conftest import PASSWORD, Api, bearer, login, post
from tests.accounts.smtp import html_body, link_token

pytestmark = pytest.mark.django_db


def _register(client: Client, email: str = "grace@example.com") -> Any:
    return post(client, "/register", {"email": email, "password": PASSWORD})


def test_registration_mails_a_link_that_verifies_the_address(inbox: Any) -> None:
    client = Client()
    assert _register(client).status_code == 202
    mail = inbox.wait(1)[0]
    token = link_token(mail)
    assert f"token={token}" in html_body(mail)
    tokens = login(client, email="grace@example.com")
    me = client.get("/api/v2/auth/me", **bearer(tokens["access_token"])).json()
    assert me["email_verified"] is False
    answer = post(client, "/verify-email", {"token": token})
    assert answer.status_code == 200 and answer.json()["email_verified"] is True
    me = client.get("/api/v2/auth/me", **bearer(tokens["access_token"])).json()
    assert me["email_verified"] is True
    assert post(client, "/verify-email", {"token": token}).status_code == 400  # single use


def test_registering_a_taken_address_answers_the_same_and_tells_its_owner(user: User,
                                                                          inbox: Any) -> None:
    client = Client()
    fresh, taken = _register(client), _register(client, user.email)
    assert (fresh.status_code, fresh.json()) == (taken.status_code, taken.json())
    inbox.wait(2)
    owner_mail = inbox.to(user.email)
    assert len(owner_mail) == 1 and "tried to register" in str(owner_mail[0]["Subject"])


def test_a_bad_token_is_a_clear_400(db: None) -> None:
    answer = post(Client(), "/verify-email", {"token": "not-a-token"})
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_token"


def test_resend_mails_a_new_link(api: Api, inbox: Any) -> None:
    assert api.post("/verify-email/resend").status_code == 202
    assert post(Client(), "/verify-email", {"token": link_token(inbox.wait(1)[0])}).json()[
        "email_verified"]


def test_mail_features_need_a_verified_address(user: User) -> None:
    with pytest.raises(Forbidden):
        email_verified_required(user=user)
    user.email_verified_at = user.date_joined
    email_verified_required(user=user)


def _backend_configured(**env: str) -> str:
    """EMAIL_BACKEND as settings compute it in a fresh process with ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.EMAIL_BACKEND)")
    done = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, text=True,
                          capture_output=True, check=True)
    return done.stdout.strip()


def test_without_email_host_mail_goes_to_the_console(settings: Any, capsys: Any) -> None:
    """The embedded default (no EMAIL_HOST): mails are printed, text and HTML."""
    assert _backend_configured() == "django.core.mail.backends.console.EmailBackend"
    assert _backend_configured(EMAIL_HOST="smtp.example.com") == (
        "django.core.mail.backends.smtp.EmailBackend")
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    mail_send(to="x@example.com", subject="hello", template="verify_email",
              context={"email": "x@example.com", "link": "http://l/?token=t",
                       "ttl_hours": 1}).join(5)
    out = capsys.readouterr().out
    assert "Subject: hello" in out and "text/html" in out and "token=t" in out
