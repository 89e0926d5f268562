"""Production mode (DJANGO_DEBUG=0): refuses to start without secrets; check --deploy passes."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from accounts.services.vault import keyring_entry_new

REPO = Path(__file__).resolve().parents[2]


def _pem_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    private, public = _pem_pair()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JWT_", "VAULT_"))}
    env.update({
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "gpubroker.example.com",
        "JWT_PRIVATE_KEY": private.replace("\n", "\\n"),  # one line, as in a .env file
        "JWT_PUBLIC_KEY": public,
        "GPUBROKER_VAULT_KEYS": keyring_entry_new(),
        "GPUBROKER_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "REDIS_URL": "",
    })
    env.update(overrides)
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_every_secret(tmp_path: Path) -> None:
    result = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(tmp_path.glob("jwt_*")) and not (tmp_path / "vault_keys").exists()


@pytest.mark.parametrize(("unset", "named"), [
    ("JWT_PRIVATE_KEY", "JWT_PRIVATE_KEY"),
    ("GPUBROKER_VAULT_KEYS", "GPUBROKER_VAULT_KEYS"),
    ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY"),
])
def test_production_refuses_to_start_without_a_secret(tmp_path: Path, unset: str,
                                                      named: str) -> None:
    result = _manage(_production_env(tmp_path, **{unset: ""}), "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr


def test_vault_address_without_token_is_refused(tmp_path: Path) -> None:
    env = _production_env(tmp_path, GPUBROKER_VAULT_KEYS="", VAULT_ADDR="https://vault:8200")
    result = _manage(env, "check")
    assert result.returncode != 0 and "VAULT_TOKEN" in result.stderr


@pytest.mark.parametrize(("name", "value"), [
    ("JWT_PRIVATE_KEY", "not a pem"),
    ("JWT_PUBLIC_KEY", _pem_pair()[1]),  # a public key of another pair
    ("GPUBROKER_VAULT_KEYS", "k1:short"),
])
def test_bad_keys_fail_the_system_check(tmp_path: Path, name: str, value: str) -> None:
    result = _manage(_production_env(tmp_path, **{name: value}), "check")
    assert result.returncode != 0
    assert "accounts.E00" in result.stderr
