"""KPI benchmark: `gpu/{gpu}` and `history` on N price observations (default 10 million),
SQLite, PostgreSQL and chDB side by side in one run.

    python bench/bench_kpi.py [--rows 10000000] [--engines sqlite,postgres,chdb]
                              [--postgres postgres://postgres@127.0.0.1:5432/postgres]

LOAD TEST: the observations are the real catalog snapshots replayed over simulated time
(bench/kpi_load.py), never market data. Each engine runs in its own process with its own
fresh store: sync the shared snapshot, generate the observations, then time each query
(median of --repeat runs after one warm-up).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("GPUBROKER_SHARED_DATA", REPO.parent / "shared" / "data"))
BENCH_DB = "gpubroker_bench_kpi"
GPU = "H100"  # the family: H100, H100-SXM, H100-PCIe, H100-NVL offers


def _queries() -> dict:
    from kpi import selectors, trend

    members = selectors.gpu_members(GPU)
    return {
        f"gpu/{GPU}": lambda engine: selectors.kpi_gpu(gpu=GPU, engine=engine),
        f"history?gpu={GPU}&interval=day (90 days)": lambda engine: trend.kpi_history(
            gpus=members, interval="day", engine=engine),
        f"history?gpu={GPU}&interval=hour (7 days)": lambda engine: trend.kpi_history(
            gpus=members, interval="hour", engine=engine),
    }


def _raw_history_day(engine) -> list[dict]:
    """ClickHouse only: the 90-day daily series straight from the raw observations (the
    text the SQL engines run), for comparison with the rollup on the same data."""
    from datetime import timedelta

    from django.utils import timezone

    from kpi import selectors
    from kpi.clickhouse import clickhouse_fragments
    from kpi.engines import render
    from kpi.trend import _filters

    now = timezone.now()
    params = _filters(selectors.gpu_members(GPU), None, None, now - timedelta(days=90), now)
    return engine._run(render("HISTORY", **clickhouse_fragments("day")), params)


def worker(engine_name: str, rows: int, repeat: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from bench import kpi_load
    from kpi.engines import SqlEngine
    from market.models import PriceObservation
    from market.services.providers import offers_sync_all

    call_command("migrate", verbosity=0)
    offers_sync_all()
    replay = kpi_load.replay_rows(SHARED / "catalogs" / "history")
    now = timezone.now()
    if engine_name == "chdb":
        from kpi.clickhouse import ClickHouseEngine, clickhouse_client
        from kpi.services import clickhouse_stream

        url = os.environ["CLICKHOUSE_URL"]
        clickhouse_stream(url=url)
        fill_s = kpi_load.fill_clickhouse(url, replay, rows, now)
        engine = ClickHouseEngine(url)
        count = int(clickhouse_client(url).query(
            "SELECT count() AS n FROM gpubroker_observations", {})[0]["n"])
    else:
        fill_s = kpi_load.fill_primary(replay, rows, now)
        engine, count = SqlEngine(), PriceObservation.objects.count()
    queries = _queries()
    if engine_name == "chdb":
        queries[f"(raw rows, no rollup) history?gpu={GPU}&interval=day"] = _raw_history_day
    measured = {name: _time(lambda q=query: q(engine), repeat) for name, query in
                queries.items()}
    return {"engine": engine_name, "observations": count, "fill_s": fill_s,
            "replayed_rows": len(replay),
            "timings_ms": {name: wall for name, (wall, _) in measured.items()},
            "cpu_ms": {name: cpu for name, (_, cpu) in measured.items()}}


def _time(call, repeat: int) -> tuple[float, float]:
    """Median wall-clock ms, and median CPU ms of this process (all its threads: chDB's and
    SQLite's work, not the PostgreSQL server's), which the machine's load barely moves."""
    call()  # warm-up
    walls, cpus = [], []
    for _ in range(repeat):
        clock, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - clock) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def _environment(engine: str, data_dir: str, postgres: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
           "GPUBROKER_DATA_DIR": data_dir, "GPUBROKER_LOG_LEVEL": "ERROR",
           "GPUBROKER_CATALOG_DIR": str(SHARED / "catalogs" / "skypilot")}
    env.pop("DATABASE_URL", None)
    env.pop("CLICKHOUSE_URL", None)
    if engine == "postgres":
        env["DATABASE_URL"] = postgres.rsplit("/", 1)[0] + "/" + BENCH_DB
    if engine == "chdb":
        env["CLICKHOUSE_URL"] = f"chdb://{data_dir}/clickhouse"
    return env


def _postgres_db(postgres: str, create: bool) -> None:
    import psycopg

    with psycopg.connect(postgres, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        if create:
            conn.execute(f"CREATE DATABASE {BENCH_DB}")


def run(engine: str, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as data_dir:
        if engine == "postgres":
            _postgres_db(args.postgres, create=True)
        try:
            done = subprocess.run(
                [sys.executable, __file__, "--worker", engine, "--rows", str(args.rows),
                 "--repeat", str(args.repeat)], env=_environment(engine, data_dir,
                                                                 args.postgres),
                capture_output=True, text=True, cwd=REPO, check=False)
        finally:
            if engine == "postgres":
                _postgres_db(args.postgres, create=False)
    if done.returncode:
        return {"engine": engine, "error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(results: list[dict]) -> str:
    names = list(dict.fromkeys(n for r in results for n in r.get("timings_ms", {})))
    lines = ["| query (ms, median: wall / this process's CPU) | " + " | ".join(
        r["engine"] for r in results) + " |", "|---|" + "---:|" * len(results)]
    for name in names:
        cells = [(f"{r['timings_ms'][name]:.1f} / {r['cpu_ms'][name]:.1f}"
                  if name in r["timings_ms"] else "–") if "timings_ms" in r else "failed"
                 for r in results]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| generate observations (s) | " + " | ".join(
        f"{r['fill_s']:.1f}" if "fill_s" in r else "-" for r in results) + " |")
    lines.append("| observations | " + " | ".join(
        f"{r.get('observations', 0):,}" for r in results) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--engines", default="sqlite,postgres,chdb")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.rows, args.repeat)))
        return 0
    print(f"LOAD TEST: {args.rows:,} observations replayed from the real snapshots over "
          "simulated time (not market data)", flush=True)
    results = []
    for engine in args.engines.split(","):
        clock = time.perf_counter()
        results.append(run(engine, args))
        print(f"{engine}: {time.perf_counter() - clock:.0f} s {json.dumps(results[-1])}",
              flush=True)
    print(table(results))
    return 0 if all("timings_ms" in r for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
