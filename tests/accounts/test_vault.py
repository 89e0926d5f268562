"""Local AES-GCM vault: keyrings, generated files (0600), key rotation with the command."""

from __future__ import annotations

import io
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from accounts.models import MfaDevice, ProviderKey, User
from accounts.services import vault as vault_module
from accounts.services.keys import signing_key
from accounts.services.provider_keys import provider_key_for
from accounts.services.vault import (
    LocalCipher,
    Vault,
    VaultError,
    keyring_entry_new,
    keyring_parse,
    vault,
)
from tests.accounts.conftest import Api, key_body
from tests.accounts.test_mfa import _enable, _login, code

AAD = b"gpubroker/test"


def test_values_round_trip_and_are_bound_to_their_associated_data() -> None:
    cipher = LocalCipher(keyring_parse(keyring_entry_new()))
    token = cipher.encrypt(b"secret", aad=AAD)
    assert token.startswith("gcm1:") and b"secret" not in token.encode()
    assert cipher.decrypt(token, aad=AAD) == b"secret"
    with pytest.raises(VaultError):
        cipher.decrypt(token, aad=b"gpubroker/other")
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(VaultError):
        cipher.decrypt(tampered, aad=AAD)


def test_two_encryptions_of_one_value_differ() -> None:
    cipher = LocalCipher(keyring_parse(keyring_entry_new()))
    assert cipher.encrypt(b"x", aad=AAD) != cipher.encrypt(b"x", aad=AAD)


def test_the_first_key_encrypts_and_all_decrypt() -> None:
    old, new = keyring_entry_new(), keyring_entry_new()
    before = Vault(LocalCipher(keyring_parse(old)))
    token = before.encrypt(b"v", aad=AAD)
    after = Vault(LocalCipher(keyring_parse(f"{new},{old}")))
    assert after.decrypt(token, aad=AAD) == b"v"
    assert after.needs_rewrap(token)
    rewrapped = after.rewrap(token, aad=AAD)
    assert rewrapped.startswith(f"gcm1:{new.partition(':')[0]}:")
    assert not after.needs_rewrap(rewrapped)
    retired = Vault(LocalCipher(keyring_parse(new)))
    with pytest.raises(VaultError):
        retired.decrypt(token, aad=AAD)


@pytest.mark.parametrize("text", ["", "nokey", "k1:" + "A" * 10, "bad id:" + "A" * 43])
def test_malformed_keyrings_are_refused(text: str) -> None:
    with pytest.raises((ImproperlyConfigured, ValueError)):
        keyring_parse(text)


@pytest.fixture
def generated_keys(settings: Any, tmp_path: Path) -> Path:
    """An empty data directory and no configured keys: everything generated there."""
    settings.DATA_DIR = tmp_path
    settings.GPUBROKER_VAULT_KEYS = ""
    settings.JWT_PRIVATE_KEY = ""
    return tmp_path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_generated_keys_are_private_files(generated_keys: Path) -> None:
    tmp_path = generated_keys
    vault().encrypt(b"x", aad=AAD)
    signing_key()
    for name in ("vault_keys", "jwt_private_key.pem", "jwt_public_key.pem"):
        assert _mode(tmp_path / name) == 0o600, name


@pytest.mark.django_db
def test_rotate_command_rewraps_every_secret(generated_keys: Path, api: Api, user: User) -> None:
    tmp_path = generated_keys
    api.post("/provider-keys", key_body("runpod", "rpa_key_one_1234"))
    secret, _ = _enable(api)
    old_kid = keyring_parse((tmp_path / "vault_keys").read_text()).primary
    out = io.StringIO()
    call_command("rotate_provider_keys", "--new-key", stdout=out)
    new_kid = keyring_parse((tmp_path / "vault_keys").read_text()).primary
    assert new_kid != old_kid and _mode(tmp_path / "vault_keys") == 0o600
    assert "provider_keys: 1 rewrapped of 1" in out.getvalue()
    assert "mfa_secrets: 1 rewrapped of 1" in out.getvalue()
    assert ProviderKey.objects.get().ciphertext.startswith(f"gcm1:{new_kid}:")
    assert MfaDevice.objects.get().secret_ciphertext.startswith(f"gcm1:{new_kid}:")
    assert provider_key_for(user=user, provider="runpod") == "rpa_key_one_1234"
    assert _login(code(secret)).status_code == 200  # the TOTP secret still decrypts
    again = io.StringIO()
    call_command("rotate_provider_keys", stdout=again)
    assert "provider_keys: 0 rewrapped of 1" in again.getvalue()


@pytest.mark.django_db
def test_rotation_with_environment_keys(api: Api, user: User, settings: Any) -> None:
    old = keyring_entry_new()
    settings.GPUBROKER_VAULT_KEYS = old
    api.post("/provider-keys", key_body("runpod", "rpa_key_two_5678"))
    out = io.StringIO()
    call_command("rotate_provider_keys", "--print-new-key", stdout=out)
    new = out.getvalue().strip()
    keyring_parse(new)
    with pytest.raises(CommandError):
        call_command("rotate_provider_keys", "--new-key", stdout=io.StringIO())
    settings.GPUBROKER_VAULT_KEYS = f"{new},{old}"
    call_command("rotate_provider_keys", stdout=io.StringIO())
    settings.GPUBROKER_VAULT_KEYS = new  # the old key retired
    assert provider_key_for(user=user, provider="runpod") == "rpa_key_two_5678"


def test_vault_is_rebuilt_when_settings_change(settings: Any) -> None:
    settings.GPUBROKER_VAULT_KEYS = keyring_entry_new()
    first = vault_module.vault()
    settings.GPUBROKER_VAULT_KEYS = keyring_entry_new()
    assert vault_module.vault() is not first
