"""HashiCorp Vault transit backend against a real local HTTP server."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from accounts.models import ProviderKey, User
from accounts.services.provider_keys import provider_key_for
from accounts.services.vault import keyring_entry_new, vault
from accounts.services.vault_transit import TransitCipher
from common.errors import UpstreamError
from tests.accounts.conftest import Api, key_body
from tests.accounts.vault_server import TransitState, vault_transit_server

TOKEN = "s.test-token"


@pytest.fixture
def transit(settings: Any) -> Iterator[TransitState]:
    with vault_transit_server(token=TOKEN) as (addr, state):
        settings.VAULT_ADDR, settings.VAULT_TOKEN = addr, TOKEN
        yield state


@pytest.mark.django_db
def test_keys_are_encrypted_by_vault(transit: TransitState, api: Api, user: User) -> None:
    api.post("/provider-keys", key_body("runpod", "rpa_transit_key_1"))
    stored = ProviderKey.objects.get().ciphertext
    assert stored.startswith("vault:v1:") and "rpa_transit" not in stored
    assert provider_key_for(user=user, provider="runpod") == "rpa_transit_key_1"
    assert "POST /v1/transit/encrypt/gpubroker-provider-keys" in transit.calls


@pytest.mark.django_db
def test_vault_checks_the_associated_data(transit: TransitState, api: Api,
                                          other_api: Api, other_user: User) -> None:
    api.post("/provider-keys", key_body("runpod", "rpa_transit_key_2"))
    other_api.post("/provider-keys", key_body("runpod", "rpa_transit_key_3"))
    mine = ProviderKey.objects.exclude(user=other_user).get().ciphertext
    ProviderKey.objects.filter(user=other_user).update(ciphertext=mine)
    with pytest.raises(UpstreamError):
        provider_key_for(user=other_user, provider="runpod")


@pytest.mark.django_db
def test_vault_rotate_then_rewrap(transit: TransitState, api: Api, user: User) -> None:
    api.post("/provider-keys", key_body("vastai", "vast_transit_key_4"))
    out = io.StringIO()
    call_command("rotate_provider_keys", "--vault-rotate", stdout=out)
    assert "vault key version 2" in out.getvalue()
    assert "provider_keys: 1 rewrapped of 1" in out.getvalue()
    assert ProviderKey.objects.get().ciphertext.startswith("vault:v2:")
    assert provider_key_for(user=user, provider="vastai") == "vast_transit_key_4"


@pytest.mark.django_db
def test_moving_from_local_keys_into_vault(settings: Any, api: Api, user: User) -> None:
    settings.GPUBROKER_VAULT_KEYS = keyring_entry_new()
    api.post("/provider-keys", key_body("lambda", "lambda_local_key_5"))
    assert ProviderKey.objects.get().ciphertext.startswith("gcm1:")
    with vault_transit_server(token=TOKEN) as (addr, _):
        settings.VAULT_ADDR, settings.VAULT_TOKEN = addr, TOKEN
        assert provider_key_for(user=user, provider="lambda") == "lambda_local_key_5"
        call_command("rotate_provider_keys", stdout=io.StringIO())
        assert ProviderKey.objects.get().ciphertext.startswith("vault:v1:")
        assert provider_key_for(user=user, provider="lambda") == "lambda_local_key_5"


def test_a_wrong_token_is_an_upstream_error(transit: TransitState, settings: Any) -> None:
    settings.VAULT_TOKEN = "s.wrong"
    with pytest.raises(UpstreamError, match="403"):
        vault().encrypt(b"x", aad=b"a")


def test_an_unreachable_vault_is_an_upstream_error(settings: Any) -> None:
    settings.VAULT_ADDR, settings.VAULT_TOKEN, settings.VAULT_TIMEOUT_S = (
        "http://127.0.0.1:9", TOKEN, 1.0)
    assert isinstance(vault().primary, TransitCipher)
    with pytest.raises(UpstreamError, match="unreachable"):
        vault().encrypt(b"x", aad=b"a")
