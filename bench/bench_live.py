"""Live push at scale: 1,000 ``/ws/offers/`` subscribers with varied filters, one sync that
reprices 500 offers; delivery latency from the sync's commit to each client's receipt, and
the server's memory.

    python bench/bench_live.py [--clients 1000] [--reprice 500] [--redis redis://127.0.0.1:6379/13]

Three processes on loopback: the server (``gpubroker serve``, channels-redis layer), the
clients (one asyncio process, ``websockets``), and this one, which syncs. The sync runs here
as in a Celery worker or ``gpubroker sync`` and reaches the server through Redis. Offers are
RunPod's real catalog (``catalogs/history/runpod/0727c2bd9e77.csv``); the repricing sync
gives ``--reprice`` of them the price their instance type has in the other real version of
that file (``403c56354cf8.csv``, where each instance type has one price in every region).
The commit time is taken when Django commits the sync's transaction; clients stamp each
frame on arrival (``time.monotonic``, one clock for every process on Linux). Every client's
frames are checked against the deltas its filters select (the shared evaluator).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SHARED = Path(os.environ.get("GPUBROKER_SHARED_DATA", REPO.parent / "shared" / "data"))
RUNPOD = SHARED / "catalogs" / "history" / "runpod"
LATEST, OTHER = RUNPOD / "0727c2bd9e77.csv", RUNPOD / "403c56354cf8.csv"
FIRST_S, QUIET_S = 180.0, 5.0  # wait for a first frame, then for silence


# --- the subscriptions: varied, drawn from the catalog's own GPUs and prices -------------
def subscriptions(count: int, gpus: list[str]) -> list[dict[str, Any]]:
    """``count`` filter sets cycling through GPUs, price caps, sizes and providers."""
    caps, sizes = [0.5, 1, 2, 4, 8, 16, 40], [1, 2, 4, 8]
    shapes = [
        lambda i: {"gpu": gpus[i % len(gpus)]},
        lambda i: {"max_price": caps[i % len(caps)]},
        lambda i: {"gpu": gpus[i % len(gpus)], "max_price": caps[(i // 3) % len(caps)]},
        lambda i: {"min_gpu_count": sizes[i % len(sizes)], "spot": bool(i % 2)},
        lambda i: {"q": f"gpu_count>={sizes[i % len(sizes)]} price<{caps[i % len(caps)]}"},
        lambda i: {"provider": ["aws", "vast"]},  # never matches a RunPod delta
        lambda i: {"q": f"price_per_gpu<{caps[i % len(caps)] / 2} region in [US,CA,EU-RO]"},
        lambda i: {},  # every delta
    ]
    return [shapes[i % len(shapes)](i // len(shapes)) for i in range(count)]


# --- the catalogs ------------------------------------------------------------------------
def _prices_by_type(path: Path, column: str) -> dict[str, float]:
    """Instance type → its one price in ``path`` (types with several prices are left out)."""
    seen: dict[str, set[float]] = {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            if row["AcceleratorName"] and row[column]:
                seen.setdefault(row["InstanceType"], set()).add(float(row[column]))
    return {t: next(iter(p)) for t, p in seen.items() if len(p) == 1}


def repriced_catalog(folder: Path, count: int) -> tuple[Path, int]:
    """The latest file with ``count`` (instance type, region, price kind) offers at their
    price in the other version; the number of offers repriced."""
    other = {c: _prices_by_type(OTHER, c) for c in ("Price", "SpotPrice")}
    rows = list(csv.DictReader(io.StringIO(LATEST.read_text())))
    chosen: set[tuple[str, str, str]] = set()
    for row in rows:
        for column in ("Price", "SpotPrice"):
            new = other[column].get(row["InstanceType"])
            key = (row["InstanceType"], row["Region"], column)
            if (row["AcceleratorName"] and row[column] and new is not None
                    and abs(new - float(row[column])) > 1e-9
                    and (key in chosen or len(chosen) < count)):
                chosen.add(key)
                row[column] = f"{new:g}"
    target = folder / "runpod" / "vms.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return target, len(chosen)


# --- the clients' process ----------------------------------------------------------------
async def _client(url: str, origin: str, filters: dict[str, Any], ready: asyncio.Event,
                  out: list[list[Any]], go: asyncio.Event) -> None:
    import websockets

    async with websockets.connect(url, origin=origin, max_size=None,
                                  open_timeout=120, ping_interval=None) as ws:
        await ws.recv()  # hello
        await ws.send(json.dumps({"subscribe": filters}))
        ack = json.loads(await ws.recv())
        assert ack["type"] == "subscribed", ack
        ready.set()
        await go.wait()
        wait_s = FIRST_S
        while True:
            try:
                frame = await asyncio.wait_for(ws.recv(), wait_s)
            except TimeoutError:
                return
            wait_s = QUIET_S
            stamp = time.monotonic()
            message = json.loads(frame)
            if message["type"] == "offers.delta":
                out.append([stamp, [d["offer_id"] for d in message["deltas"]]])


async def _clients_main(url: str, origin: str, subs: list[dict[str, Any]]) -> None:
    out: list[list[list[Any]]] = [[] for _ in subs]
    readies = [asyncio.Event() for _ in subs]
    go = asyncio.Event()
    tasks = []
    for i, filters in enumerate(subs):
        tasks.append(asyncio.create_task(_client(url, origin, filters, readies[i], out[i], go)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)  # a ramp, not a SYN flood of the listen backlog
    await asyncio.gather(*(r.wait() for r in readies))
    print("READY", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    go.set()
    await asyncio.gather(*tasks)
    print("RESULT " + json.dumps(out), flush=True)


# --- the orchestrator --------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) MB of ``pid``, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text()
                  .splitlines() if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def _django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _sync(path: Path) -> tuple[Any, float]:
    """Sync RunPod from ``path``; the result and the time its transaction committed."""
    import httpx
    from django.db import connection

    from market.adapters.catalog import CatalogAdapter
    from market.services.sync import providers_sync

    commits: list[float] = []
    commit = connection.commit

    def stamped() -> None:
        commit()
        commits.append(time.monotonic())

    connection.commit = stamped  # type: ignore[method-assign]
    committed: list[float] = []
    try:
        with httpx.Client() as client:
            results = providers_sync(adapters=[CatalogAdapter("runpod", str(path))],
                                     client=client,
                                     on_result=lambda r: committed.append(commits[-1]))
    finally:
        connection.commit = commit  # type: ignore[method-assign]
    return results[0], committed[0]


def _wait_http(base: str, process: subprocess.Popen[Any]) -> None:
    import httpx

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not start")


def _expected(result: Any, subs: list[dict[str, Any]]) -> list[set[int]]:
    from market.query.filters import filter_compile

    deltas = [d.as_dict() for d in result.deltas]
    return [{d["offer_id"] for d in filter_compile(f).select(deltas)} for f in subs]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--reprice", type=int, default=500)
    parser.add_argument("--redis", default=os.environ.get("GPUBROKER_BENCH_REDIS_URL",
                                                          "redis://127.0.0.1:6379/13"))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-live-"))
    prefix = f"bench-{uuid.uuid4().hex[:8]}-"
    env = {"GPUBROKER_DATA_DIR": str(work), "REDIS_URL": args.redis,
           "GPUBROKER_CACHE_PREFIX": prefix,
           "DJANGO_SETTINGS_MODULE": "config.settings", "GPUBROKER_LOG_LEVEL": "WARNING",
           "GPUBROKER_CATALOG_DIR": str(work / "none")}
    _django(env)
    from market.adapters.catalog import CatalogAdapter  # noqa: F401  (Django is set up)

    base_result, _ = _sync(LATEST)
    repriced, chosen = repriced_catalog(work / "catalog", args.reprice)
    gpus = sorted({d.gpu_name for d in base_result.deltas if d.gpu_name})
    subs = subscriptions(args.clients, gpus)
    port = _free_port()
    server_env = {**os.environ, **env}
    server_env.pop("DATABASE_URL", None) if "DATABASE_URL" not in os.environ else None
    server = subprocess.Popen([sys.executable, "-m", "gpubroker", "serve", "--port", str(port),
                               "--no-sync", "--sync-interval", "0"], cwd=REPO, env=server_env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_http(f"http://127.0.0.1:{port}", server)
        idle_mb = _rss_mb(server.pid)
        report = _run(port, subs, repriced, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:  # open sockets can hold a graceful shutdown up
            server.kill()
    _report(report, subs, chosen, idle_mb)


def _run(port: int, subs: list[dict[str, Any]], repriced: Path, server_pid: int
         ) -> dict[str, Any]:
    clients = subprocess.Popen(
        [sys.executable, __file__, "--as-clients", str(port)], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, text=True, cwd=REPO)
    assert clients.stdin and clients.stdout
    clients.stdin.write(json.dumps(subs) + "\n")
    clients.stdin.flush()
    started = time.monotonic()
    assert clients.stdout.readline().strip() == "READY"
    connect_s = time.monotonic() - started
    subscribed_mb = _rss_mb(server_pid)
    clients.stdin.write("go\n")
    clients.stdin.flush()
    started = time.monotonic()
    result, committed = _sync(repriced)
    sync_s = time.monotonic() - started
    line = clients.stdout.readline()
    clients.wait(60)
    frames = json.loads(line.removeprefix("RESULT "))
    return {"result": result, "committed": committed, "frames": frames, "sync_s": sync_s,
            "connect_s": connect_s, "subscribed_mb": subscribed_mb,
            "after_mb": _rss_mb(server_pid)}


def _report(run: dict[str, Any], subs: list[dict[str, Any]], chosen: int,
            idle_mb: tuple[float, float]) -> None:
    result, frames = run["result"], run["frames"]
    expected = _expected(result, subs)
    got = [{i for _, ids in client for i in ids} for client in frames]
    wrong = sum(1 for e, g in zip(expected, got, strict=True) if e != g)
    latencies = [(stamp - run["committed"]) * 1000 for client in frames for stamp, _ in client]
    last = [max(stamp for stamp, _ in c) - run["committed"] for c in frames if c]
    print(f"offers repriced: {chosen} chosen, sync deltas: {len(result.deltas)} "
          f"(sync {run['sync_s']:.1f}s, publishing included)")
    print(f"subscribers: {len(subs)} connected+subscribed in {run['connect_s']:.1f}s; "
          f"{sum(1 for e in expected if e)} had matching deltas; "
          f"{sum(len(c) for c in frames)} delta frames, {sum(len(g) for g in got)} deltas")
    print(f"mismatched subscribers (frames != their filter's deltas): {wrong}")
    if latencies:
        print(f"commit->receipt per frame: p50 {statistics.median(latencies):.0f} ms, "
              f"p99 {_percentile(latencies, 0.99):.0f} ms, max {max(latencies):.0f} ms; "
              f"last frame at {max(last) * 1000:.0f} ms")
    print(f"server RSS MB: idle {idle_mb[0]:.0f}, {len(subs)} subscribed "
          f"{run['subscribed_mb'][0]:.0f}, "
          f"after the sync {run['after_mb'][0]:.0f} (peak {run['after_mb'][1]:.0f})")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--as-clients":
        port = int(sys.argv[2])
        asyncio.run(_clients_main(f"ws://127.0.0.1:{port}/ws/offers/",
                                  f"http://127.0.0.1:{port}", json.loads(sys.stdin.readline())))
    else:
        main()
