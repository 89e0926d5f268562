"""Encryption at rest for provider API keys and TOTP secrets.

Two backends behind one ``Vault``:

* local: AES-256-GCM (``cryptography``'s AESGCM), a 96-bit random nonce per value, keys
  from ``GPUBROKER_VAULT_KEYS`` (``kid:base64url-32-bytes``, comma separated, the first
  encrypts, all decrypt) or, in debug without it, generated into the data directory
  (file ``vault_keys``, mode 0600). Stored as ``gcm1:<kid>:<base64url(nonce|ct|tag)>``.
* HashiCorp Vault transit when ``VAULT_ADDR`` is set (``accounts.services.vault_transit``);
  stored as Vault's own ``vault:v<N>:...``.

Every value is bound to its row by associated data (e.g. user id and provider), so a
ciphertext copied into another user's row does not decrypt. Values written under an
older key or the other backend still decrypt; ``rotate_provider_keys`` rewraps them.
"""

from __future__ import annotations

import base64
import functools
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from common.errors import BrokerError
from common.secrets import generated_secret, write_private_file

LOCAL_PREFIX = "gcm1"
KEYRING_FILE = "vault_keys"
KEY_BYTES = 32
NONCE_BYTES = 12


class VaultError(BrokerError):
    """A stored secret cannot be decrypted (wrong key, tampered row): a server fault."""

    code = "vault_error"


class Cipher(Protocol):
    def encrypt(self, plaintext: bytes, *, aad: bytes) -> str: ...
    def decrypt(self, token: str, *, aad: bytes) -> bytes: ...
    def owns(self, token: str) -> bool: ...
    def is_current(self, token: str) -> bool: ...


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Keyring:
    """AES keys by id; ``primary`` encrypts."""

    keys: dict[str, bytes]
    primary: str

    def __post_init__(self) -> None:
        if self.primary not in self.keys:
            raise ImproperlyConfigured("vault keyring: primary key id missing")
        if any(len(k) != KEY_BYTES for k in self.keys.values()):
            raise ImproperlyConfigured(f"vault keyring: every key must be {KEY_BYTES} bytes")


def keyring_entry_new() -> str:
    """A fresh ``kid:key`` entry to put first in ``GPUBROKER_VAULT_KEYS``."""
    return f"k{secrets.token_hex(4)}:{_b64e(AESGCM.generate_key(bit_length=256))}"


def keyring_parse(text: str) -> Keyring:
    entries = [e.strip() for e in text.replace("\n", ",").split(",") if e.strip()]
    keys: dict[str, bytes] = {}
    for entry in entries:
        kid, sep, key = entry.partition(":")
        if not sep or not kid.isalnum():
            raise ImproperlyConfigured("vault keyring: entries are kid:base64url-key")
        keys[kid] = _b64d(key)
    if not keys:
        raise ImproperlyConfigured("vault keyring is empty")
    return Keyring(keys=keys, primary=next(iter(keys)))


class LocalCipher:
    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring

    def encrypt(self, plaintext: bytes, *, aad: bytes) -> str:
        kid = self.keyring.primary
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keyring.keys[kid]).encrypt(nonce, plaintext, aad)
        return f"{LOCAL_PREFIX}:{kid}:{_b64e(nonce + sealed)}"

    def decrypt(self, token: str, *, aad: bytes) -> bytes:
        _, kid, body = (token.split(":", 2) + ["", ""])[:3]
        key = self.keyring.keys.get(kid)
        if key is None:
            raise VaultError(f"stored secret is under retired vault key {kid!r}")
        try:
            raw = _b64d(body)
            return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
        except (InvalidTag, ValueError) as exc:
            raise VaultError("stored secret failed authentication") from exc

    def owns(self, token: str) -> bool:
        return token.startswith(LOCAL_PREFIX + ":")

    def is_current(self, token: str) -> bool:
        return token.startswith(f"{LOCAL_PREFIX}:{self.keyring.primary}:")


class Vault:
    """Encrypts with ``primary``; decrypts with whichever cipher wrote the value."""

    def __init__(self, primary: Cipher, others: list[Cipher] | None = None) -> None:
        self.primary = primary
        self.ciphers = [primary, *(others or [])]

    def encrypt(self, plaintext: bytes, *, aad: bytes) -> str:
        return self.primary.encrypt(plaintext, aad=aad)

    def decrypt(self, token: str, *, aad: bytes) -> bytes:
        for cipher in self.ciphers:
            if cipher.owns(token):
                return cipher.decrypt(token, aad=aad)
        raise VaultError("no configured vault backend can read this stored secret")

    def needs_rewrap(self, token: str) -> bool:
        return not (self.primary.owns(token) and self.primary.is_current(token))

    def rewrap(self, token: str, *, aad: bytes) -> str:
        return self.encrypt(self.decrypt(token, aad=aad), aad=aad)


def _keyring_path() -> Path:
    return Path(settings.DATA_DIR) / KEYRING_FILE


def _local_keyring(*, create: bool) -> Keyring | None:
    if settings.GPUBROKER_VAULT_KEYS:
        return keyring_parse(settings.GPUBROKER_VAULT_KEYS)
    path = _keyring_path()
    if not create and not path.exists():
        return None
    text = generated_secret(data_dir=Path(settings.DATA_DIR), filename=KEYRING_FILE,
                            make=lambda: keyring_entry_new().encode())
    return keyring_parse(text.decode())


def keyring_file_add_primary() -> str:
    """Put a new key first in the generated keyring file; the old ones still decrypt."""
    if settings.GPUBROKER_VAULT_KEYS:
        raise ImproperlyConfigured("keys come from GPUBROKER_VAULT_KEYS: add the new one there")
    path = _keyring_path()
    old = path.read_text() if path.exists() else ""
    entry = keyring_entry_new()
    tmp = path.with_name(f".{KEYRING_FILE}.{secrets.token_hex(4)}")
    write_private_file(tmp, f"{entry}\n{old}".encode())
    os.replace(tmp, path)
    vault.cache_clear()
    return entry.partition(":")[0]


@functools.cache
def vault() -> Vault:
    """The configured vault (built once per process)."""
    if settings.VAULT_ADDR:
        from accounts.services.vault_transit import TransitCipher

        local = _local_keyring(create=False)
        return Vault(TransitCipher.from_settings(), [LocalCipher(local)] if local else [])
    keyring = _local_keyring(create=True)
    assert keyring is not None
    return Vault(LocalCipher(keyring))


def _forget_vault(*, setting: str, **_: Any) -> None:
    if setting.startswith("VAULT_") or setting in {"GPUBROKER_VAULT_KEYS", "DATA_DIR"}:
        vault.cache_clear()


setting_changed.connect(_forget_vault)
