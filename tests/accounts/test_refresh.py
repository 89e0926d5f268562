"""Refresh tokens: rotation, reuse detection (family revoked + audited), logout."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent, RefreshToken, TokenFamily, User
from tests.accounts.conftest import AUTH, Api, bearer, login, post

pytestmark = pytest.mark.django_db


def _refresh(token: str) -> dict:
    response = post(Client(), "/refresh", {"refresh_token": token},
                    REMOTE_ADDR="192.0.2.66", HTTP_USER_AGENT="thief/1.0")
    return {"status": response.status_code, **response.json()}


def test_refresh_rotates_the_pair(user: User) -> None:
    first = login(Client())
    second = _refresh(first["refresh_token"])
    assert second["status"] == 200
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert _refresh(second["refresh_token"])["status"] == 200


def test_refresh_tokens_are_stored_only_as_digests(user: User) -> None:
    token = login(Client())["refresh_token"]
    stored = set(RefreshToken.objects.values_list("token_hash", flat=True))
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored


def test_reusing_a_spent_token_revokes_the_family_and_is_audited(user: User) -> None:
    stolen = login(Client())["refresh_token"]
    legit = _refresh(stolen)  # the legitimate client rotates first
    reuse = _refresh(stolen)  # then the thief replays the spent token
    assert reuse["status"] == 401 and reuse["code"] == "invalid_refresh_token"
    assert _refresh(legit["refresh_token"])["status"] == 401  # the whole family is dead
    family = TokenFamily.objects.get()
    assert family.revoked_reason == "reuse" and family.revoked_at is not None
    event = AuditEvent.objects.get(event="refresh_reuse")
    assert (event.user, event.ip, event.user_agent) == (user, "192.0.2.66", "thief/1.0")
    assert event.details["family"] == str(family.pk)


def test_reuse_leaves_other_logins_alone(user: User) -> None:
    phone, laptop = login(Client()), login(Client())
    _refresh(phone["refresh_token"])
    _refresh(phone["refresh_token"])
    assert _refresh(laptop["refresh_token"])["status"] == 200


def test_an_expired_refresh_token_is_refused(user: User) -> None:
    token = login(Client())["refresh_token"]
    RefreshToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _refresh(token)["status"] == 401


def test_a_family_past_its_absolute_age_is_refused(user: User) -> None:
    token = login(Client())["refresh_token"]
    TokenFamily.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _refresh(token)["status"] == 401


@pytest.mark.parametrize("token", ["", "x" * 600])
def test_malformed_refresh_tokens_are_422(db: None, token: str) -> None:
    assert post(Client(), "/refresh", {"refresh_token": token}).status_code == 422


def test_an_unknown_refresh_token_is_refused(db: None) -> None:
    assert _refresh("made-up-token")["status"] == 401


def test_logout_ends_the_access_token_and_its_login(api: Api, user: User) -> None:
    other_login = login(Client())
    response = api.post("/logout", {"refresh_token": api.tokens["refresh_token"]})
    assert response.status_code == 204
    assert api.get("/me").status_code == 401
    assert _refresh(api.tokens["refresh_token"])["status"] == 401
    assert _refresh(other_login["refresh_token"])["status"] == 200


def test_logout_everywhere_ends_every_login(api: Api, user: User) -> None:
    other_login = login(Client())
    assert api.post("/logout", {"everywhere": True}).status_code == 204
    assert _refresh(other_login["refresh_token"])["status"] == 401
    me = Client().get(f"{AUTH}/me", **bearer(other_login["access_token"]))
    assert me.status_code == 401


def test_logout_cannot_end_another_users_login(api: Api, other_api: Api) -> None:
    response = api.post("/logout", {"refresh_token": other_api.tokens["refresh_token"]})
    assert response.status_code == 204
    assert _refresh(other_api.tokens["refresh_token"])["status"] == 200


def test_purge_deletes_only_logins_that_cannot_refresh(user: User) -> None:
    live, _, _ = (login(Client())["refresh_token"] for _ in range(3))
    families = list(TokenFamily.objects.order_by("created_at", "pk"))
    TokenFamily.objects.filter(pk=families[1].pk).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    TokenFamily.objects.filter(pk=families[2].pk).update(
        revoked_at=timezone.now() - timedelta(days=2))
    out = io.StringIO()
    call_command("purge_expired_tokens", stdout=out)
    assert list(TokenFamily.objects.all()) == [families[0]]
    assert RefreshToken.objects.count() == 1
    assert _refresh(live)["status"] == 200
