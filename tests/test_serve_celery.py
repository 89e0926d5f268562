"""`serve` with ``GPUBROKER_SCHEDULER``: celery needs Redis; an unknown value is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def _serve(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    run_env = {**os.environ, "GPUBROKER_DATA_DIR": str(tmp_path), **env}
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        run_env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "gpubroker", "serve", "--no-sync"],
                          cwd=REPO_ROOT, env=run_env, capture_output=True, text=True,
                          timeout=120)


def test_celery_mode_without_redis_says_what_to_set(tmp_path: Path) -> None:
    done = _serve(tmp_path, GPUBROKER_SCHEDULER="celery")
    assert done.returncode == 2
    assert "REDIS_URL" in done.stdout + done.stderr


def test_an_unknown_scheduler_is_refused(tmp_path: Path) -> None:
    done = _serve(tmp_path, GPUBROKER_SCHEDULER="cron")
    assert done.returncode != 0
    assert "GPUBROKER_SCHEDULER='cron'" in done.stderr and "celery" in done.stderr
