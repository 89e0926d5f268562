"""`gpubroker check`, run as an operator runs it (a real process), on this machine's real
engines and on addresses where nothing listens."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.conftest import REPO_ROOT


def _check(data_dir: Path, **env: str) -> tuple[int, dict[str, Any]]:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "REDIS_URL", "CLICKHOUSE_URL", "GPUBROKER_SCHEDULER"}}
    done = subprocess.run([sys.executable, "-m", "gpubroker", "check", "--json"], cwd=REPO_ROOT,
                          env={**clean, "GPUBROKER_DATA_DIR": str(data_dir), **env},
                          capture_output=True, text=True, timeout=120)
    return done.returncode, {f["name"]: f for f in json.loads(done.stdout)}


def _migrate(data_dir: Path) -> None:
    env = {**os.environ, "GPUBROKER_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "gpubroker", "migrate", "-v0"], cwd=REPO_ROOT,
                   env=env, check=True, timeout=300)
    for path in data_dir.iterdir():
        if path.is_file():
            path.chmod(0o600)


def test_a_fresh_store_needs_migrations(tmp_path: Path) -> None:
    code, found = _check(tmp_path)
    assert code == 1
    assert not found["migrations"]["ok"] and "gpubroker migrate" in found["migrations"]["detail"]
    assert found["database"]["ok"] and "sqlite" in found["database"]["detail"]


def test_a_ready_embedded_install_passes(tmp_path: Path) -> None:
    _migrate(tmp_path)
    code, found = _check(tmp_path)
    assert code == 0, found
    assert found["cache"]["detail"].startswith("LocMemCache")
    assert found["price history"]["detail"] == "primary database"
    assert found["JWT signing key"]["detail"] == "RSA 2048 bits"


def test_a_file_others_can_read_is_a_problem(tmp_path: Path) -> None:
    _migrate(tmp_path)
    (tmp_path / "jwt_private_key.pem").chmod(0o644)
    code, found = _check(tmp_path)
    assert code == 1 and "jwt_private_key.pem" in found["data directory"]["detail"]


def test_unreachable_engines_are_named(tmp_path: Path) -> None:
    code, found = _check(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/x",
                         REDIS_URL="redis://127.0.0.1:1/0",
                         CLICKHOUSE_URL="http://127.0.0.1:1/gpubroker")
    assert code == 1
    for name in ("database", "cache", "channel layer", "price history"):
        assert not found[name]["ok"] and "unreachable" in found[name]["detail"], name


def test_the_running_postgresql_and_redis_are_reachable(tmp_path: Path) -> None:
    pg = os.environ.get("GPUBROKER_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    redis = os.environ.get("GPUBROKER_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    _, found = _check(tmp_path, DATABASE_URL=pg, REDIS_URL=redis)
    assert found["database"]["ok"] and "postgresql" in found["database"]["detail"]
    assert found["cache"]["ok"] and found["channel layer"]["ok"]


def test_production_with_a_weak_key_fails(tmp_path: Path) -> None:
    _migrate(tmp_path)
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    code, found = _check(tmp_path, DJANGO_DEBUG="0", JWT_PRIVATE_KEY=weak,
                         DJANGO_SECRET_KEY="short",
                         GPUBROKER_VAULT_KEYS="k1:" + "A" * 43)
    assert code == 1
    assert not found["JWT signing key"]["ok"] and "2048" in found["JWT signing key"]["detail"]
    assert not found["secret key"]["ok"]
    assert not found["system checks"]["ok"] and "production" in found["system checks"]["detail"]
