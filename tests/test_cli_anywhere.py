"""The CLI from any folder: the user's data directory (platformdirs), the same from every folder;
an unmigrated store is prepared, never a traceback; nothing written where the command runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

GPUBROKER = Path(sys.executable).parent / "gpubroker"


def _clean_env(home: Path) -> dict[str, str]:
    """The environment of a new user: no GPUBROKER_*, no database or Redis URL."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GPUBROKER_", "DJANGO_")) and k not in ("DATABASE_URL",
                                                                         "REDIS_URL")}
    return {**env, "HOME": str(home), "XDG_DATA_HOME": str(home / ".local" / "share")}


def _offers_json(cwd: Path, home: Path) -> subprocess.CompletedProcess:
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run([str(GPUBROKER), "offers", "--json"], cwd=cwd, env=_clean_env(home),
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    root = tmp_path_factory.mktemp("newuser")
    home, fresh = root / "home", root / "fresh"
    home.mkdir()
    return home, fresh, _offers_json(fresh, home)


def test_offers_json_from_a_fresh_folder_works(first_run: tuple) -> None:
    home, fresh, done = first_run
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "first use" in done.stderr
    page = json.loads(done.stdout)
    assert page["items"] == [] and page["total"] == 0
    assert any("no offers are stored yet" in w for w in page["warnings"])
    assert list(fresh.iterdir()) == []  # no ./var, no secret key where the command ran


def test_the_store_lives_in_the_users_data_directory(first_run: tuple) -> None:
    home = first_run[0]
    store = home / ".local" / "share" / "gpubroker"
    assert (store / "gpubroker.sqlite3").is_file() and (store / "secret_key").is_file()


def test_another_folder_uses_the_same_store(first_run: tuple) -> None:
    home = first_run[0]
    key = (home / ".local" / "share" / "gpubroker" / "secret_key").read_bytes()
    again = _offers_json(home.parent / "elsewhere" / "deeper", home)
    assert again.returncode == 0, again.stderr
    assert "first use" not in again.stderr  # already migrated: nothing to prepare
    assert (home / ".local" / "share" / "gpubroker" / "secret_key").read_bytes() == key
    assert not (home.parent / "elsewhere" / "deeper" / "var").exists()


def test_gpubroker_data_dir_still_overrides(tmp_path: Path) -> None:
    env = {**_clean_env(tmp_path / "home"), "GPUBROKER_DATA_DIR": str(tmp_path / "mine")}
    done = subprocess.run([str(GPUBROKER), "offers", "--json"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "mine" / "gpubroker.sqlite3").is_file()
    assert not (tmp_path / "home" / ".local" / "share" / "gpubroker").exists()


def test_an_unmigrated_postgresql_store_says_what_to_run(tmp_path: Path) -> None:
    """A server database is never migrated behind the operator's back: the CLI says what to
    run and exits 2, without a traceback."""
    base = os.environ.get("GPUBROKER_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    name = f"gpubroker_unmigrated_{os.getpid()}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {**_clean_env(tmp_path / "home"),
               "DATABASE_URL": base.rsplit("/", 1)[0] + "/" + name}
        done = subprocess.run([str(GPUBROKER), "offers", "--gpu", "H100"], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=300)
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert done.returncode == 2, done.stdout + done.stderr
    assert "unapplied migrations" in done.stderr and "gpubroker migrate" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "var").exists()
