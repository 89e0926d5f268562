"""The provider-key vault: saved keys never come back, never sit in the clear."""

from __future__ import annotations

import io
import secrets

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import AuditEvent, ProviderKey, User
from accounts.services.provider_keys import provider_key_for
from accounts.services.vault import VaultError
from tests.accounts.conftest import PASSWORD, Api, key_body
from tests.accounts.test_mfa import _enable

pytestmark = pytest.mark.django_db


def _secret_key() -> str:
    return "rpa_" + secrets.token_urlsafe(30)


def test_a_saved_key_shows_only_its_last_four_characters(api: Api, user: User) -> None:
    key = _secret_key()
    response = api.post("/provider-keys", key_body("RunPod", key))
    assert response.status_code == 201
    body = response.json()
    assert (body["provider"], body["last4"]) == ("runpod", key[-4:])
    assert key not in response.content.decode()
    listed = api.get("/provider-keys")
    assert [k["id"] for k in listed.json()] == [body["id"]]
    assert key not in listed.content.decode()
    assert provider_key_for(user=user, provider="runpod") == key
    assert provider_key_for(user=user, provider="vastai") is None


def test_saving_again_replaces_the_key(api: Api, user: User) -> None:
    first = api.post("/provider-keys", key_body("vastai", _secret_key())).json()
    new_key = _secret_key()
    second = api.post("/provider-keys", key_body("vastai", new_key)).json()
    assert second["id"] == first["id"] and second["last4"] == new_key[-4:]
    assert provider_key_for(user=user, provider="vastai") == new_key
    events = list(AuditEvent.objects.filter(user=user, event__startswith="provider_key")
                  .order_by("pk").values_list("event", flat=True))
    assert events == ["provider_key_added", "provider_key_replaced"]


def test_delete_removes_the_key_and_is_audited(api: Api, user: User) -> None:
    saved = api.post("/provider-keys", key_body("lambda", _secret_key()))
    key_id = saved.json()["id"]
    assert api.delete(f"/provider-keys/{key_id}", {"password": PASSWORD}).status_code == 204
    assert provider_key_for(user=user, provider="lambda") is None
    assert api.delete(f"/provider-keys/{key_id}", {"password": PASSWORD}).status_code == 404
    assert AuditEvent.objects.filter(user=user, event="provider_key_removed").exists()


def test_another_users_key_answers_404(api: Api, other_api: Api, other_user: User) -> None:
    key = _secret_key()
    key_id = other_api.post("/provider-keys", key_body("runpod", key)).json()["id"]
    assert api.delete(f"/provider-keys/{key_id}", {"password": PASSWORD}).status_code == 404
    assert api.get("/provider-keys").json() == []
    assert provider_key_for(user=other_user, provider="runpod") == key


@pytest.mark.parametrize(("provider", "api_key"), [
    ("run pod", "x" * 20), ("", "x" * 20), ("-runpod", "x" * 20),
    ("runpod", "short"), ("runpod", "has\x00nul" * 3),
])
def test_bad_provider_or_key_is_refused(api: Api, provider: str, api_key: str) -> None:
    response = api.post("/provider-keys", key_body(provider, api_key))
    assert response.status_code in (400, 422)
    assert not ProviderKey.objects.exists()


def test_a_ciphertext_moved_to_another_users_row_does_not_decrypt(
        api: Api, other_api: Api, other_user: User) -> None:
    api.post("/provider-keys", key_body("runpod", _secret_key()))
    other_api.post("/provider-keys", key_body("runpod", _secret_key()))
    mine = ProviderKey.objects.exclude(user=other_user).get()
    ProviderKey.objects.filter(user=other_user).update(ciphertext=mine.ciphertext)
    with pytest.raises(VaultError):
        provider_key_for(user=other_user, provider="runpod")


def test_a_database_dump_holds_no_plaintext_secret(api: Api, user: User) -> None:
    keys = [_secret_key() for _ in range(3)]
    for provider, key in zip(["runpod", "vastai", "lambda"], keys, strict=True):
        api.post("/provider-keys", key_body(provider, key))
    totp_secret, codes = _enable(api)
    secrets_ = [*keys, totp_secret, *(c.replace("-", "") for c in codes), *codes,
                api.tokens["refresh_token"]]
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    assert not [s for s in secrets_ if s in dump.getvalue()]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            text = repr(cursor.fetchall())
            assert not [s for s in secrets_ if s in text], table
