"""Environment of the in-process load scripts (``kpi_requests.py``, ``profile_offers.py``).

Set before Django starts: a fresh data directory (unless one is given), the shared SkyPilot
snapshot as the catalog, the API rate limit lifted (they measure the request, not the
limiter) and warnings-only logs. ``DATABASE_URL`` / ``REDIS_URL`` pass through as set.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("GPUBROKER_SHARED_DATA", REPO.parent / "shared" / "data"))


def environment_set(prefix: str) -> None:
    """The variables above; ``prefix`` names the temporary data directory."""
    os.environ.setdefault("GPUBROKER_DATA_DIR", tempfile.mkdtemp(prefix=prefix))
    os.environ.setdefault("GPUBROKER_CATALOG_DIR", str(SHARED / "catalogs" / "skypilot"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["GPUBROKER_RL_API_IP"] = "1000000000/60"
    os.environ["GPUBROKER_LOG_LEVEL"] = "WARNING"
