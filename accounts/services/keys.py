"""The RS256 signing key: from ``JWT_PRIVATE_KEY``/``JWT_PUBLIC_KEY`` or the data directory.

Without ``JWT_PRIVATE_KEY`` (debug only: production refuses to start, see
``accounts.conf``) a 2048-bit pair is generated once into the data directory, mode 0600.
The key id is the RFC 7638 thumbprint of the public key, so a new key gets a new ``kid``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from common.secrets import generated_secret

PRIVATE_FILE = "jwt_private_key.pem"
PUBLIC_FILE = "jwt_public_key.pem"
MIN_KEY_BITS = 2048


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey
    public_key: rsa.RSAPublicKey


def _b64url_uint(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def public_jwk(key: rsa.RSAPublicKey) -> dict[str, str]:
    numbers = key.public_numbers()
    return {"kty": "RSA", "n": _b64url_uint(numbers.n), "e": _b64url_uint(numbers.e)}


def jwk_thumbprint(key: rsa.RSAPublicKey) -> str:
    """RFC 7638: SHA-256 over the required members in lexicographic order, no spaces."""
    canonical = json.dumps(public_jwk(key), sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _new_private_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=MIN_KEY_BITS)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _public_pem(key: rsa.RSAPublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def _generated_private_pem() -> bytes:
    pem = generated_secret(data_dir=settings.DATA_DIR, filename=PRIVATE_FILE,
                           make=_new_private_pem)
    generated_secret(data_dir=settings.DATA_DIR, filename=PUBLIC_FILE,
                     make=lambda: _public_pem(_load_private(pem).public_key()))
    return pem


def _load_private(pem: bytes) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except ValueError as exc:
        raise ImproperlyConfigured(f"JWT_PRIVATE_KEY is not a PEM private key: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < MIN_KEY_BITS:
        raise ImproperlyConfigured(f"JWT_PRIVATE_KEY must be an RSA key of >= {MIN_KEY_BITS} bits")
    return key


def _check_public_matches(private_key: rsa.RSAPrivateKey, public_pem: str) -> None:
    try:
        given = serialization.load_pem_public_key(public_pem.encode())
    except ValueError as exc:
        raise ImproperlyConfigured(f"JWT_PUBLIC_KEY is not a PEM public key: {exc}") from exc
    if _public_pem(private_key.public_key()) != _public_pem(given):  # type: ignore[arg-type]
        raise ImproperlyConfigured("JWT_PUBLIC_KEY does not belong to JWT_PRIVATE_KEY")


@functools.cache
def signing_key() -> SigningKey:
    """The current key pair (read once per process)."""
    configured = settings.JWT_PRIVATE_KEY
    pem = configured.encode() if configured else _generated_private_pem()
    private_key = _load_private(pem)
    if settings.JWT_PUBLIC_KEY:
        _check_public_matches(private_key, settings.JWT_PUBLIC_KEY)
    public_key = private_key.public_key()
    return SigningKey(kid=jwk_thumbprint(public_key), private_key=private_key,
                      public_key=public_key)


def jwks() -> dict[str, Any]:
    """The public signing keys as a JWK Set (RFC 7517)."""
    key = signing_key()
    jwk = {**public_jwk(key.public_key), "kid": key.kid, "use": "sig", "alg": "RS256"}
    return {"keys": [jwk]}


def _forget_keys(*, setting: str, **_: Any) -> None:
    if setting in {"JWT_PRIVATE_KEY", "JWT_PUBLIC_KEY", "DATA_DIR"}:
        signing_key.cache_clear()


setting_changed.connect(_forget_keys)
