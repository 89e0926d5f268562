"""A small HashiCorp Vault transit server for tests: real HTTP on 127.0.0.1.

Implements what ``accounts.services.vault_transit`` calls, with Vault's paths, token
header, JSON shapes and ``vault:v<N>:`` ciphertexts (AES-256-GCM, ``associated_data``
authenticated), so the real client code runs end to end.
"""

from __future__ import annotations

import base64
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class TransitState:
    def __init__(self, token: str, mount: str, key: str) -> None:
        self.token, self.mount, self.key = token, mount, key
        self.versions: list[bytes] = [AESGCM.generate_key(bit_length=256)]
        self.calls: list[str] = []

    def encrypt(self, body: dict[str, Any]) -> dict[str, Any]:
        version = len(self.versions)
        nonce = os.urandom(12)
        sealed = AESGCM(self.versions[-1]).encrypt(
            nonce, base64.b64decode(body["plaintext"]), _aad(body))
        return {"ciphertext": f"vault:v{version}:" + base64.b64encode(nonce + sealed).decode()}

    def decrypt(self, body: dict[str, Any]) -> dict[str, Any]:
        _, version, payload = body["ciphertext"].split(":", 2)
        raw = base64.b64decode(payload)
        key = self.versions[int(version.removeprefix("v")) - 1]
        plaintext = AESGCM(key).decrypt(raw[:12], raw[12:], _aad(body))
        return {"plaintext": base64.b64encode(plaintext).decode()}

    def read_key(self) -> dict[str, Any]:
        return {"name": self.key, "type": "aes256-gcm96", "latest_version": len(self.versions)}

    def rotate(self) -> dict[str, Any]:
        self.versions.append(AESGCM.generate_key(bit_length=256))
        return {}


def _aad(body: dict[str, Any]) -> bytes | None:
    value = body.get("associated_data")
    return base64.b64decode(value) if value else None


def _handler(state: TransitState) -> type[BaseHTTPRequestHandler]:
    routes = {
        ("POST", f"/v1/{state.mount}/encrypt/{state.key}"): state.encrypt,
        ("POST", f"/v1/{state.mount}/decrypt/{state.key}"): state.decrypt,
        ("GET", f"/v1/{state.mount}/keys/{state.key}"): lambda _: state.read_key(),
        ("POST", f"/v1/{state.mount}/keys/{state.key}/rotate"): lambda _: state.rotate(),
    }

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict[str, Any]) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _serve(self, method: str) -> None:
            state.calls.append(f"{method} {self.path}")
            if self.headers.get("X-Vault-Token") != state.token:
                return self._answer(403, {"errors": ["permission denied"]})
            route = routes.get((method, self.path))
            if route is None:
                return self._answer(404, {"errors": []})
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            try:
                return self._answer(200, {"data": route(body)})
            except (InvalidTag, KeyError, ValueError, IndexError):
                return self._answer(400, {"errors": ["cipher: message authentication failed"]})

        def do_GET(self) -> None:  # noqa: N802
            self._serve("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._serve("POST")

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def vault_transit_server(
    *, token: str = "s.test-token", mount: str = "transit", key: str = "gpubroker-provider-keys"
) -> Iterator[tuple[str, TransitState]]:
    """Serve on a free port; yields (VAULT_ADDR, state)."""
    state = TransitState(token, mount, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()
