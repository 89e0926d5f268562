"""Server memory under concurrent maximal request bodies (issue: unauthenticated exhaustion).

    python bench/bench_body_limits.py [--bodies 8] [--scenarios login60,topsis60,...]
                                      [--repo PATH]

Starts the real ASGI app under uvicorn on 127.0.0.1 (fresh SQLite data directory), then for
each scenario sends ``--bodies`` bodies at once from raw sockets, samples the server's RSS
every 20 ms and times ``/health`` meanwhile. Scenarios:

* ``login60``, ``topsis60``: hostile, anonymous 60 MB bodies (a JSON string / a matrix);
* ``login-max``: the largest anonymous body accepted anywhere (just under 1 MiB);
* ``topsis-max``: the largest accepted TOPSIS matrix (just under 8 MiB) with a Bearer token.

Prints baseline, peak and after RSS (MB), the answers' status codes and the slowest
``/health``. ``--repo`` runs the same bench against another checkout (an older version).
Bounded: every client sends one body and stops; loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import REPO, PeakRss, Server, rss_mb, started  # noqa: E402

MB = 1_000_000
MIB = 1024 * 1024
ROW = b"[1.5,2.25,3.125,4.5,5.75,6.5,7.25,8.5],"


def _login_body(size: int) -> bytes:
    head, tail = b'{"email": "a@example.com", "password": "', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def _matrix_body(size: int) -> bytes:
    head = b'{"weights":[1,1,1,1,1,1,1,1],"criteria_types":["cost","benefit","cost","benefit",' \
           b'"cost","benefit","cost","benefit"],"decision_matrix":['
    rows = (size - len(head) - 3) // len(ROW)
    body = head + ROW * rows
    return body[:-1] + b"]}"


def _varied_matrix(size: int) -> bytes:
    """A valid matrix (no constant column, at most 100,000 rows) just under ``size``."""
    head = b'{"weights":[1,1,1,1,1,1,1,1],"criteria_types":["cost","benefit","cost","benefit",' \
           b'"cost","benefit","cost","benefit"],"decision_matrix":['
    rows, total = [], len(head) + 2
    for i in range(100_000):
        row = (f"[{1000 + i}.5,{2000 + i % 97}.25,{3 + i % 5},{4 + i % 7}.5,{5 + i % 11},"
               f"{6 + i % 13}.75,{7 + i % 17},{8 + i % 19}.125],").encode()
        if total + len(row) > size:
            break
        rows.append(row)
        total += len(row)
    return head + b"".join(rows)[:-1] + b"]}"


SCENARIOS = {
    "login60": ("/api/v2/auth/login", lambda: _login_body(60 * MB), False),
    "topsis60": ("/api/v2/math/topsis", lambda: _matrix_body(60 * MB), False),
    "login-max": ("/api/v2/auth/login", lambda: _login_body(MIB - 64), False),
    "topsis-max": ("/api/v2/math/topsis", lambda: _varied_matrix(8 * MIB - 64), True),
}


def _post_raw(server: Server, path: str, body: bytes, token: str | None) -> int | None:
    """Send one body (stopping if the server closes early); the answer's status or None."""
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{auth}Connection: close\r\n\r\n").encode()
    with socket.create_connection((server.host, server.port), timeout=300) as sock:
        try:
            sock.sendall(head)
            view = memoryview(body)
            for start in range(0, len(body), 64 * 1024):
                sock.sendall(view[start:start + 64 * 1024])
        except OSError:
            pass  # refused before the whole body: the answer is already there
        try:
            first = sock.recv(64)
        except OSError:
            return None
    parts = first.split(b" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


class HealthProbe:
    """GET /health every 200 ms; ``slowest_s`` is the longest answer (or timeout)."""

    def __init__(self, base: str) -> None:
        self.base, self.slowest_s, self._stop = base, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            began = time.perf_counter()
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"{self.base}/health", timeout=120)
            self.slowest_s = max(self.slowest_s, time.perf_counter() - began)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_scenario(server: Server, name: str, bodies: int) -> dict[str, object]:
    path, make, with_token = SCENARIOS[name]
    body = make()
    statuses: Counter[int | None] = Counter()
    baseline = rss_mb(server.pid)

    def client() -> None:
        statuses[_post_raw(server, path, body, server.token if with_token else None)] += 1

    threads = [threading.Thread(target=client) for _ in range(bodies)]
    began = time.perf_counter()
    with PeakRss(server.pid) as peak, HealthProbe(server.base) as health:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    elapsed = time.perf_counter() - began
    time.sleep(1.0)
    return {"scenario": name, "body_mb": round(len(body) / MB, 2), "bodies": bodies,
            "baseline_mb": round(baseline), "peak_mb": round(peak.peak),
            "growth_mb": round(peak.peak - baseline), "after_mb": round(rss_mb(server.pid)),
            "statuses": dict(statuses), "seconds": round(elapsed, 2),
            "slowest_health_s": round(health.slowest_s, 2)}


def _warm_up(server: Server) -> None:
    """First use of each endpoint (imports, schema and validator set-up) before the baseline:
    those megabytes are paid once per process, not per body."""
    httpx.get(f"{server.base}/api/v2/providers/config")
    httpx.post(f"{server.base}/api/v2/math/topsis", content=_varied_matrix(64 * 1024),
               headers={"Content-Type": "application/json"}, timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=8)
    parser.add_argument("--scenarios", default="login60,topsis60,login-max,topsis-max")
    parser.add_argument("--repo", type=Path, default=REPO)
    args = parser.parse_args()
    with started(args.repo) as server:
        _warm_up(server)
        print(f"{'scenario':<11} {'body MB':>8} {'n':>3} {'base MB':>8} {'peak MB':>8} "
              f"{'growth':>7} {'after MB':>9} {'health s':>9}  statuses")
        for name in args.scenarios.split(","):
            r = run_scenario(server, name, args.bodies)
            print(f"{r['scenario']:<11} {r['body_mb']:>8} {r['bodies']:>3} "
                  f"{r['baseline_mb']:>8} {r['peak_mb']:>8} {r['growth_mb']:>7} "
                  f"{r['after_mb']:>9} {r['slowest_health_s']:>9}  {r['statuses']}",
                  flush=True)


if __name__ == "__main__":
    main()
