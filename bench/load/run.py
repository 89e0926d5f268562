"""HTTP load test: `gpubroker serve --workers N` under wrk (a second process, loopback).

    python bench/load/run.py [--workers 2] [--duration 20] [--connections 50] [--long 600]

For each endpoint: requests/s, p50/p99 latency, errors (non-2xx + socket errors) and the
server's resident memory (supervisor + workers) sampled every second. The offers endpoint
is also compared with a bare Django Ninja endpoint served by the same server (the
framework's ceiling). Engines: the embedded default, or PostgreSQL + Redis when
DATABASE_URL / REDIS_URL are set. Rate limits are lifted for the run (the bench measures
throughput, not the limiter). ``--long S`` adds one S-second run on the offers endpoint
with memory every 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.server import health_wait  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("GPUBROKER_SHARED_DATA", REPO.parent / "shared" / "data"))
RECOMMEND = {"workload": {"task": "inference", "gpu": "H100-SXM", "model": "llama-3.1-8b"},
             "limit": 5}
ENDPOINTS = [
    ("bare Ninja", "GET", "/bench/bare", None),
    ("offers", "GET", "/api/v2/providers/?gpu=H100&per_page=50", None),
    ("recommend", "POST", "/api/v2/math/recommend", RECOMMEND),
]
KPI = ("kpi", "GET", "/api/v2/kpi/overview", None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(c) for c in (task / "children").read_text().split()]
    return pids


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the server and its workers have used so far."""
    ticks = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        except FileNotFoundError:
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def _lua(method: str, body: dict | None, folder: Path) -> list[str]:
    if body is None:
        return []
    script = folder / "post.lua"
    script.write_text(f'wrk.method = "{method}"\nwrk.body = {json.dumps(json.dumps(body))}\n'
                      'wrk.headers["Content-Type"] = "application/json"\n')
    return ["-s", str(script)]


def _ms(text: str) -> float:
    value, unit = re.match(r"([0-9.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(base: str, endpoint: tuple, seconds: int, connections: int, folder: Path,
        pid: int, sample_s: float = 1.0) -> dict:
    name, method, path, body = endpoint
    memory: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(sample_s):
            memory.append(round(_rss_mb(pid), 1))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    cpu_before = _cpu_s(pid)
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "--timeout", "10s", *_lua(method, body, folder), base + path],
                         capture_output=True, text=True, check=True).stdout
    cpu_s = _cpu_s(pid) - cpu_before
    done.set()
    sampler.join()
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    return {"endpoint": name, "path": path, "seconds": seconds, "rps": rps,
            # the server's CPU per answer: what the load of other processes changes least
            "server_cpu_ms_per_request": round(cpu_s * 1000 / max(rps * seconds, 1), 3),
            # the distribution's own lines: "68.50%" in the thread stats is no percentile
            "p50_ms": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
            "p99_ms": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
            "errors": errors + (int(non2xx.group(1)) if non2xx else 0),
            "rss_mb_first": memory[0] if memory else None,
            "rss_mb_last": memory[-1] if memory else None,
            "rss_mb_max": max(memory) if memory else None,
            "rss_mb_series": memory}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=20)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--long", type=int, default=0, metavar="SECONDS")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gpubroker-load-"))
    port = _free_port()
    env = {**os.environ, "GPUBROKER_DATA_DIR": str(folder / "data"),
           "GPUBROKER_CATALOG_DIR": str(SHARED / "catalogs" / "skypilot"),
           "DJANGO_SETTINGS_MODULE": "bench.load.bare_settings",
           "GPUBROKER_LOG_LEVEL": "WARNING",
           "GPUBROKER_RL_API_IP": "1000000000/60", "GPUBROKER_RL_API_USER": "1000000000/60"}
    engines = "PostgreSQL + Redis" if env.get("DATABASE_URL") else "embedded (SQLite)"
    with (folder / "serve.log").open("w") as log:
        # an external database must be migrated first (serve refuses an unmigrated one)
        subprocess.run([sys.executable, "-m", "gpubroker", "migrate", "-v", "0"], cwd=REPO,
                       env=env, stdout=subprocess.DEVNULL, stderr=log, check=True)
        server = subprocess.Popen([sys.executable, "-m", "gpubroker", "serve", "--port",
                                   str(port), "--workers", str(args.workers),
                                   "--sync-interval", "0"],
                                  cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        health_wait(base, server, timeout_s=300)
        endpoints = list(ENDPOINTS)
        if httpx.get(base + KPI[2], timeout=30).status_code == 200:
            endpoints.append(KPI)
        for _, method, path, body in endpoints:  # warm every worker's index and caches
            for _ in range(4 * args.workers):
                httpx.request(method, base + path, json=body, timeout=30)
        results = [wrk(base, e, args.duration, args.connections, folder, server.pid)
                   for e in endpoints]
        if args.long:
            results.append(wrk(base, ENDPOINTS[1], args.long, args.connections, folder,
                               server.pid, sample_s=10))
    finally:
        server.terminate()
        server.wait(30)
    report = {"engines": engines, "workers": args.workers, "connections": args.connections,
              "cpus": os.cpu_count(), "results": results}
    bare = next(r["rps"] for r in results if r["endpoint"] == "bare Ninja")
    offers = next(r["rps"] for r in results if r["endpoint"] == "offers")
    report["offers_share_of_bare"] = round(offers / bare, 3)
    for r in results:
        print(f"{engines:20} w={args.workers} {r['endpoint']:11} {r['seconds']:4}s "
              f"{r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  "
              f"errors {r['errors']}  CPU {r['server_cpu_ms_per_request']:.2f} ms/req  "
              f"RSS {r['rss_mb_first']}→{r['rss_mb_last']} MB "
              f"(max {r['rss_mb_max']})")
    print(f"offers / bare Ninja: {report['offers_share_of_bare']:.0%}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
