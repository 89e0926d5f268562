"""House style is checked with the tests: ruff everywhere, mypy strict on the pure layers."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=600)


def test_ruff_is_clean() -> None:
    done = _run("ruff", "check", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_on_mathcore_and_adapters() -> None:
    done = _run("mypy", "mathcore", "market/adapters")
    assert done.returncode == 0, done.stdout + done.stderr
