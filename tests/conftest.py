"""Shared fixtures: where the real shared data lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("GPUBROKER_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
SKYPILOT_DIR = SHARED_DATA / "catalogs" / "skypilot"
PROVIDER_SAMPLES = SHARED_DATA / "provider-samples"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared data not found at {SHARED_DATA} (set GPUBROKER_SHARED_DATA)")
    return SHARED_DATA
