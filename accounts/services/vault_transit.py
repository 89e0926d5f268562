"""HashiCorp Vault transit engine as the vault backend (``VAULT_ADDR`` set).

Calls four endpoints of ``/v1/<mount>/``: ``encrypt/<key>``, ``decrypt/<key>`` (both
with ``associated_data``, Vault >= 1.13, for AEAD key types such as the default
aes256-gcm96), ``keys/<key>`` (read: the latest key version) and
``keys/<key>/rotate``. Authenticates with ``X-Vault-Token`` (and ``X-Vault-Namespace``
when set). The transit key must exist: ``vault write -f transit/keys/<key>``.
Failures become ``UpstreamError`` (502) and never carry plaintext.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx
from django.conf import settings

from common.errors import UpstreamError

PREFIX = "vault:"


class TransitCipher:
    def __init__(self, *, client: httpx.Client, mount: str, key: str) -> None:
        self.client = client
        self.base = f"/v1/{mount.strip('/')}"
        self.key = key
        self._latest: int | None = None  # read once; a rotation command is a fresh process

    @classmethod
    def from_settings(cls) -> TransitCipher:
        headers = {"X-Vault-Token": settings.VAULT_TOKEN}
        if settings.VAULT_NAMESPACE:
            headers["X-Vault-Namespace"] = settings.VAULT_NAMESPACE
        client = httpx.Client(base_url=settings.VAULT_ADDR, headers=headers,
                              timeout=settings.VAULT_TIMEOUT_S)
        return cls(client=client, mount=settings.VAULT_TRANSIT_MOUNT,
                   key=settings.VAULT_TRANSIT_KEY)

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        try:
            response = self.client.request(method, f"{self.base}/{path}", json=body)
        except httpx.HTTPError as exc:
            raise UpstreamError(f"Vault unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise UpstreamError(f"Vault answered {response.status_code} to {path}")
        return response.json().get("data", {}) if response.content else {}

    def encrypt(self, plaintext: bytes, *, aad: bytes) -> str:
        data = self._call("POST", f"encrypt/{self.key}", {
            "plaintext": base64.b64encode(plaintext).decode(),
            "associated_data": base64.b64encode(aad).decode(),
        })
        return str(data["ciphertext"])

    def decrypt(self, token: str, *, aad: bytes) -> bytes:
        data = self._call("POST", f"decrypt/{self.key}", {
            "ciphertext": token, "associated_data": base64.b64encode(aad).decode(),
        })
        return base64.b64decode(data["plaintext"])

    def owns(self, token: str) -> bool:
        return token.startswith(PREFIX)

    def latest_version(self) -> int:
        if self._latest is None:
            self._latest = int(self._call("GET", f"keys/{self.key}")["latest_version"])
        return self._latest

    def is_current(self, token: str) -> bool:
        return token.startswith(f"{PREFIX}v{self.latest_version()}:")

    def rotate_key(self) -> int:
        """Ask Vault for a new key version; returns it."""
        self._call("POST", f"keys/{self.key}/rotate")
        self._latest = None
        return self.latest_version()
