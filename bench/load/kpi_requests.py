"""KPI answers in-process, per request (Django test client, every middleware, no profiler):

    python bench/load/kpi_requests.py [--requests 1000] [--path /market ...]

Syncs the shared SkyPilot snapshot into a fresh data directory (or the PostgreSQL / Redis
of DATABASE_URL / REDIS_URL), then times each KPI endpoint over the current offers: the
mean and median milliseconds per request over ``--requests`` requests after one warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.load.inprocess import environment_set  # noqa: E402

environment_set("gpubroker-kpi-")
PATHS = ("/api/v2/kpi/overview", "/api/v2/kpi/gpu/H100", "/api/v2/kpi/provider/aws",
         "/api/v2/kpi/insights/market")


def timed(client, path: str, requests: int) -> list[float]:
    """Milliseconds of each of ``requests`` GETs of ``path`` (each must answer 200)."""
    took = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        took.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content[:200]
    return took


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--path", action="append", help="instead of the KPI paths (repeat)")
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from market.services.providers import offers_sync_all

    call_command("migrate", verbosity=0)
    offers_sync_all()
    client = Client(HTTP_HOST="localhost")  # an allowed host in every mode
    print(f"database: {connection.vendor}; {args.requests} requests each, ms per request")
    for path in args.path or PATHS:
        timed(client, path, 1)
        took = timed(client, path, args.requests)
        print(f"{path}: mean {statistics.fmean(took):.2f}, median "
              f"{statistics.median(took):.2f}, p99 {sorted(took)[int(len(took) * .99)]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
