"""The `gpubroker` command line, run as a user runs it (a real process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, SKYPILOT_DIR


def _cli(*args: str, data_dir: Path, catalog: Path = SKYPILOT_DIR) -> subprocess.CompletedProcess:
    env = {**os.environ, "GPUBROKER_DATA_DIR": str(data_dir),
           "GPUBROKER_CATALOG_DIR": str(catalog)}
    env.pop("DATABASE_URL", None)  # its own SQLite file in data_dir
    return subprocess.run([sys.executable, "-m", "gpubroker", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_help_lists_the_commands(tmp_path: Path) -> None:
    out = _cli("--help", data_dir=tmp_path).stdout
    for command in ("serve", "sync", "offers", "bench-gpu", "GPUBROKER_CATALOG_DIR"):
        assert command in out


@pytest.fixture(scope="module")
def synced_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("cli")
    done = _cli("sync", "--provider", "lambda", "--provider", "vast", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    return data_dir, done.stdout


def test_sync_prints_a_line_per_provider_and_a_summary(synced_dir: tuple[Path, str]) -> None:
    out = synced_dir[1]
    lines = out.splitlines()
    assert lines[0].startswith("lambda") and lines[1].startswith("vast")
    assert "2/2 providers ok" in out


def test_offers_table_and_json(synced_dir: tuple[Path, str]) -> None:
    data_dir = synced_dir[0]
    table = _cli("offers", "--gpu", "H100", "--limit", "3", data_dir=data_dir).stdout
    assert "H100" in table and "3 of" in table
    body = json.loads(_cli("offers", "-q", "provider=vast gpu_count>=2", "--json",
                           data_dir=data_dir).stdout)
    assert body["total"] > 0
    assert all(o["provider"] == "vast" and o["gpu_count"] >= 2 for o in body["items"])


def test_offers_bad_filter_exits_2_with_the_reason(synced_dir: tuple[Path, str]) -> None:
    done = _cli("offers", "-q", "gpu_memory_gb>>3", data_dir=synced_dir[0])
    assert done.returncode == 2 and "gpu_memory_gb>>3" in done.stderr


def test_unknown_provider_is_refused(tmp_path: Path) -> None:
    done = _cli("sync", "--provider", "nope", data_dir=tmp_path)
    assert done.returncode != 0 and "nope" in done.stderr


def test_django_management_commands_are_reachable(tmp_path: Path) -> None:
    done = _cli("showmigrations", "market", data_dir=tmp_path)
    assert done.returncode == 0 and "0001_initial" in done.stdout


def test_json_writes_what_the_api_writes(synced_dir: tuple[Path, str]) -> None:
    """Integers as integers, ISO 8601 timestamps (the API's writer), no machine path."""
    from tests.market.test_api_json import ISO_UTC

    done = _cli("offers", "--gpu", "H100", "--min-gpu-count", "8", "--json",
                data_dir=synced_dir[0])
    assert done.returncode == 0, done.stderr
    assert '"gpu_count": 8.0' not in done.stdout and str(SKYPILOT_DIR) not in done.stdout
    items = json.loads(done.stdout)["items"]
    assert items and all(ISO_UTC.match(o["fetched_at"]) and o["gpu_count"] == 8
                         and isinstance(o["gpu_count"], int) for o in items)


def test_every_filter_of_the_api_is_a_flag(synced_dir: tuple[Path, str]) -> None:
    done = _cli("offers", "--min-disk-gb", "1000000", "--json", data_dir=synced_dir[0])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 0
