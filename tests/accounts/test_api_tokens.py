"""Personal API tokens: shown once, stored hashed, scoped, revocable, never for account
changes; and every session ends when it should (change-password, logout-all)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken, User
from tests.accounts.conftest import AUTH, PASSWORD, Api, bearer, login, post

pytestmark = pytest.mark.django_db
SEARCH = {"name": "cheap H100", "q": "gpu=H100 price<3"}


def _create(api: Api, scopes: list[str], **extra: Any) -> Any:
    body = {"name": f"script-{'-'.join(scopes)}", "scopes": scopes, "password": PASSWORD,
            **extra}
    return api.post("/tokens", body)


def _token(api: Api, scopes: list[str], **extra: Any) -> str:
    answer = _create(api, scopes, **extra)
    assert answer.status_code == 201, answer.content
    return str(answer.json()["token"])


def test_a_token_is_shown_once_and_stored_as_a_digest(api: Api, user: User) -> None:
    created = _create(api, ["read"]).json()
    assert created["token"].startswith("gpb_") and created["scopes"] == ["read"]
    row = ApiToken.objects.get(pk=created["id"])
    assert row.token_hash == hashlib.sha256(created["token"].encode()).hexdigest()
    assert created["token"] not in str(list(ApiToken.objects.values()))
    listed = api.get("/tokens").json()
    assert [t["id"] for t in listed] == [created["id"]] and "token" not in listed[0]
    assert set(listed[0]) >= {"name", "scopes", "created_at", "last_used_at", "expires_at"}


def test_creating_a_token_needs_the_password(api: Api) -> None:
    answer = _create(api, ["read"], password="not my password 123")
    assert answer.status_code == 403 and answer.json()["code"] == "invalid_credentials"
    assert api.post("/tokens", {"name": "x", "scopes": ["read"]}).status_code == 422


def test_read_scope_reads_and_cannot_write(api: Api) -> None:
    client, token = Client(), _token(api, ["read"])
    me = client.get(f"{AUTH}/me", **bearer(token))
    assert me.status_code == 200 and me.json()["email"] == "ada@example.com"
    assert ApiToken.objects.get().last_used_at is not None
    denied = post(client, "/saved-searches", SEARCH, **bearer(token))
    assert denied.status_code == 403 and denied.json()["code"] == "insufficient_scope"


def test_write_scope_writes_saved_searches_but_never_the_account(api: Api) -> None:
    client, token = Client(), _token(api, ["read", "write"])
    assert post(client, "/saved-searches", SEARCH, **bearer(token)).status_code == 201
    for path, body in (("/tokens", {"name": "n", "scopes": ["read"], "password": PASSWORD}),
                       ("/change-password", {"current_password": PASSWORD,
                                             "new_password": "another long passphrase 1"}),
                       ("/logout-all", {}), ("/mfa/enroll", {"password": PASSWORD})):
        answer = post(client, path, body, **bearer(token))
        assert answer.status_code == 403, (path, answer.content)
    erased = client.delete(f"{AUTH}/me", {"password": PASSWORD},
                           content_type="application/json", **bearer(token))
    assert erased.status_code == 403


def test_a_deleted_token_stops_working(api: Api) -> None:
    created = _create(api, ["read"]).json()
    assert api.delete(f"/tokens/{created['id']}").status_code == 204
    answer = Client().get(f"{AUTH}/me", **bearer(created["token"]))
    assert answer.status_code == 401 and answer.json()["code"] == "invalid_token"


def test_an_expired_token_is_refused(api: Api) -> None:
    token = _token(api, ["read"], expires_in_days=1)
    ApiToken.objects.update(expires_at=timezone.now())
    assert Client().get(f"{AUTH}/me", **bearer(token)).status_code == 401


def test_other_users_tokens_answer_404(api: Api, other_api: Api) -> None:
    created = _create(api, ["read"]).json()
    assert other_api.delete(f"/tokens/{created['id']}").status_code == 404
    assert Client().get(f"{AUTH}/me", **bearer(created["token"])).status_code == 200


@pytest.mark.parametrize("scopes", [["write"], ["admin"], ["read", "root"]])
def test_unknown_or_writeonly_scopes_are_refused(api: Api, scopes: list[str]) -> None:
    assert _create(api, scopes).status_code in {400, 422}


def test_change_password_ends_every_earlier_access_and_refresh_token(api: Api) -> None:
    client = Client()
    other_login = login(client)
    answer = api.post("/change-password", {"current_password": PASSWORD,
                                           "new_password": "a different passphrase 9"})
    assert answer.status_code == 200
    for tokens in (api.tokens, other_login):
        assert client.get(f"{AUTH}/me", **bearer(tokens["access_token"])).status_code == 401
        assert post(client, "/refresh", {"refresh_token": tokens["refresh_token"]}
                    ).status_code == 401
    assert client.get(f"{AUTH}/me", **bearer(answer.json()["access_token"])).status_code == 200


def test_logout_all_ends_every_session(api: Api) -> None:
    client = Client()
    other_login = login(client)
    assert api.post("/logout-all").status_code == 204
    for tokens in (api.tokens, other_login):
        assert client.get(f"{AUTH}/me", **bearer(tokens["access_token"])).status_code == 401
        assert post(client, "/refresh", {"refresh_token": tokens["refresh_token"]}
                    ).status_code == 401
