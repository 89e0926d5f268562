"""Where the time of one offers request goes in-process (cProfile over Django's test client,
the full middleware stack): python bench/load/profile_offers.py [--requests 300]"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("GPUBROKER_SHARED_DATA", REPO.parent / "shared" / "data"))
sys.path.insert(0, str(REPO))
os.environ.setdefault("GPUBROKER_DATA_DIR", tempfile.mkdtemp(prefix="gpubroker-prof-"))
os.environ.setdefault("GPUBROKER_CATALOG_DIR", str(SHARED / "catalogs" / "skypilot"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["GPUBROKER_RL_API_IP"] = "1000000000/60"
os.environ["GPUBROKER_LOG_LEVEL"] = "WARNING"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--path", default="/api/v2/providers/?gpu=H100&per_page=50")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from market.services.providers import offers_sync_all

    call_command("migrate", verbosity=0)
    offers_sync_all()
    client = Client(HTTP_HOST="localhost")  # an allowed host in every mode
    assert client.get(args.path).status_code == 200
    started = time.perf_counter()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(args.path)
    profile.disable()
    took = time.perf_counter() - started
    print(f"{args.requests} requests in {took:.2f}s: {took / args.requests * 1000:.2f} ms each "
          "(in-process, profiler on)")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
    return 0


if __name__ == "__main__":
    sys.exit(main())
