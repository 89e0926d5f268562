"""Generated secrets: private files, created once, never read half-written."""

from __future__ import annotations

import os
import secrets
import stat
import threading
from pathlib import Path

from common.secrets import generated_secret


def test_created_once_private_and_read_back(tmp_path: Path) -> None:
    first = generated_secret(data_dir=tmp_path, filename="key", make=lambda: b"one")
    second = generated_secret(data_dir=tmp_path, filename="key", make=lambda: b"two")
    assert first == second == b"one"
    assert stat.S_IMODE(os.stat(tmp_path / "key").st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["key"]  # no temporary file left


def _race(path: Path, filename: str) -> list[bytes]:
    seen: list[bytes] = []
    start = threading.Barrier(8)

    def create() -> None:
        start.wait()
        seen.append(generated_secret(data_dir=path, filename=filename,
                                     make=lambda: secrets.token_bytes(4096)))

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return seen


def test_racing_creators_all_read_one_whole_secret(tmp_path: Path) -> None:
    for round_ in range(30):
        seen = _race(tmp_path, f"k{round_}")
        assert len(seen) == 8 and len(set(seen)) == 1 and len(seen[0]) == 4096
