"""Live push at scale: 1,000 ``/ws/offers/`` subscribers with varied filters, one sync that
reprices 500 offers; delivery latency from the sync's commit to each client's receipt, and
the server's memory and CPU.

    python bench/bench_live.py [--clients 1000] [--reprice 500] [--workers 1]
        [--batch 100] [--limit-s 900] [--redis redis://127.0.0.1:6379/13]

Three processes on loopback: the server (``gpubroker serve``, channels-redis layer), the
clients (one asyncio process, ``websockets``), and this one, which syncs. The sync runs here
as in a Celery worker or ``gpubroker sync`` and reaches the server through Redis. Offers are
RunPod's real catalog (``catalogs/history/runpod/0727c2bd9e77.csv``); the repricing sync
gives ``--reprice`` of them the price their instance type has in the other real version of
that file (``403c56354cf8.csv``, where each instance type has one price in every region).
The commit time is taken when Django commits the sync's transaction; clients stamp each
frame on arrival (``time.monotonic``, one clock for every process on Linux) and parse it
only after the run, so the client process spends the measured window receiving. Every
client's frames are checked against the deltas its filters select (the shared evaluator).

It stops by itself: clients connect and subscribe in parallel batches of ``--batch`` (each
step with a timeout, three tries), progress goes to stderr, delivery ends after
``QUIET_S`` without a delta frame anywhere (or ``FIRST_S`` without any), and the whole run is
killed after ``--limit-s``. All clients come from 127.0.0.1, so the server runs with
``GPUBROKER_WS_MAX_PER_ADDRESS`` above ``--clients`` (the default cap is 20).
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
import threading
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from bench.server import health_wait  # noqa: E402

SHARED = Path(os.environ.get("GPUBROKER_SHARED_DATA", REPO.parent / "shared" / "data"))
RUNPOD = SHARED / "catalogs" / "history" / "runpod"
LATEST, OTHER = RUNPOD / "0727c2bd9e77.csv", RUNPOD / "403c56354cf8.csv"
FIRST_S, QUIET_S = 120.0, 5.0  # wait for a first frame, then for silence
STEP_S = 60.0  # one connect, hello or subscribe answer
TRIES = 3
PUBLISHED: list[float] = []  # monotonic stamps: publishing the deltas started, ended


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
def _say(message: str) -> None:
    print(f"[bench_live {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def _subscribe(url: str, origin: str, filters: dict[str, Any]) -> Any:
    """One subscribed client; three tries, each step within STEP_S."""
    import websockets

    last: BaseException | None = None
    for attempt in range(TRIES):
        try:
            ws = await websockets.connect(url, origin=origin, max_size=None, open_timeout=STEP_S,
                                          ping_interval=None, close_timeout=1)
            await asyncio.wait_for(ws.recv(), STEP_S)  # hello
            await ws.send(json.dumps({"subscribe": filters}))
            ack = json.loads(await asyncio.wait_for(ws.recv(), STEP_S))
            if ack.get("type") != "subscribed":
                raise RuntimeError(f"not subscribed: {ack}")
            return ws
        except (OSError, TimeoutError, RuntimeError, websockets.WebSocketException) as exc:
            last = exc
            await asyncio.sleep(0.5 * (attempt + 1))
    raise SystemExit(f"a client could not subscribe in {TRIES} tries: {last!r}")


async def _read(ws: Any, frames: list[tuple[float, str]], last: list[float]) -> None:
    """Stamp every frame on arrival; parse nothing until the run is over."""
    try:
        async for raw in ws:
            stamp = time.monotonic()
            frames.append((stamp, raw))
            if '"offers.delta"' in raw[:40]:
                last[0] = stamp
    except Exception:  # a closed socket ends this reader; the check counts what arrived
        return


async def _clients_main(url: str, origin: str, subs: list[dict[str, Any]], batch: int) -> None:
    started = time.monotonic()
    conns: list[Any] = []
    for lo in range(0, len(subs), batch):
        conns += await asyncio.gather(*(_subscribe(url, origin, f) for f in subs[lo:lo + batch]))
        _say(f"subscribed {len(conns)}/{len(subs)} in {time.monotonic() - started:.1f}s")
    print("READY", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    frames: list[list[tuple[float, str]]] = [[] for _ in subs]
    last = [0.0]
    readers = [asyncio.create_task(_read(ws, frames[i], last)) for i, ws in enumerate(conns)]
    go, cpu = time.monotonic(), time.process_time()
    while True:  # until QUIET_S without a delta anywhere (or FIRST_S without a first)
        await asyncio.sleep(0.25)
        now = time.monotonic()
        if (last[0] and now - last[0] > QUIET_S) or (not last[0] and now - go > FIRST_S):
            break
    for reader in readers:
        reader.cancel()
    print(f"CLIENT_CPU {time.process_time() - cpu:.2f}", flush=True)  # receiving, this process
    out = [[[stamp, [d["offer_id"] for d in message["deltas"]]]
            for stamp, raw in client if (message := json.loads(raw))["type"] == "offers.delta"]
           for client in frames]
    print("RESULT " + json.dumps(out), flush=True)
    for ws in conns:
        ws.transport.abort()  # the server sees them go; no close handshake to wait for


# --- the orchestrator --------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (uvicorn's workers are children of ``serve``)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = (task / "children")
            if children.exists():
                todo += [int(c) for c in children.read_text().split()]
    return found


def _rss_mb(pid: int) -> tuple[float, float]:
    """(resident, sum of peak resident) MB of ``pid`` and its children, from /proc."""
    rss = peak = 0.0
    for each in _tree(pid):
        try:
            fields = dict(line.split(":", 1) for line in Path(f"/proc/{each}/status")
                          .read_text().splitlines() if ":" in line)
        except FileNotFoundError:
            continue
        rss += int(fields["VmRSS"].split()[0]) / 1024
        peak += int(fields["VmHWM"].split()[0]) / 1024
    return rss, peak


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its children so far."""
    total = 0.0
    for each in _tree(pid):
        try:
            stat = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


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
    from realtime import services

    commits: list[float] = []
    commit = connection.commit

    def stamped() -> None:
        commit()
        commits.append(time.monotonic())

    connection.commit = stamped  # type: ignore[method-assign]
    committed: list[float] = []
    send = services._send_logged

    def timed(messages: list[Any]) -> int:  # when publishing starts and ends
        PUBLISHED.append(time.monotonic())
        try:
            return send(messages)
        finally:
            PUBLISHED.append(time.monotonic())

    services._send_logged = timed
    try:
        with httpx.Client() as client:
            results = providers_sync(adapters=[CatalogAdapter("runpod", str(path))],
                                     client=client,
                                     on_result=lambda r: committed.append(commits[-1]))
    finally:
        connection.commit = commit  # type: ignore[method-assign]
        services._send_logged = send
    return results[0], committed[0]


def _expected(result: Any, subs: list[dict[str, Any]]) -> list[set[int]]:
    from market.query.filters import filter_compile

    deltas = [d.as_dict() for d in result.deltas]
    return [{d["offer_id"] for d in filter_compile(f).select(deltas)} for f in subs]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _stop_after(limit_s: float, processes: list[subprocess.Popen[Any]]) -> threading.Timer:
    """Past ``limit_s`` the run is over: kill what it started and say so."""
    def expire() -> None:
        _say(f"over the {limit_s:.0f}s limit: stopping (load {_load()})")
        for process in processes:
            if process.poll() is None:
                process.kill()
        os._exit(3)

    timer = threading.Timer(limit_s, expire)
    timer.daemon = True
    timer.start()
    return timer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--reprice", type=int, default=500)
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    parser.add_argument("--batch", type=int, default=100, help="clients connecting at once")
    parser.add_argument("--limit-s", type=float, default=900, help="the whole run, at most")
    parser.add_argument("--redis", default=os.environ.get("GPUBROKER_BENCH_REDIS_URL",
                                                          "redis://127.0.0.1:6379/13"))
    args = parser.parse_args()
    _say(f"load before: {_load()}")
    work = Path(tempfile.mkdtemp(prefix="bench-live-"))
    prefix = f"bench-{uuid.uuid4().hex[:8]}-"
    env = {"GPUBROKER_DATA_DIR": str(work), "REDIS_URL": args.redis,
           "GPUBROKER_CACHE_PREFIX": prefix,
           "DJANGO_SETTINGS_MODULE": "config.settings", "GPUBROKER_LOG_LEVEL": "WARNING",
           "GPUBROKER_CATALOG_DIR": str(work / "none"),
           "GPUBROKER_WS_MAX_PER_ADDRESS": str(args.clients + 100)}
    _django(env)
    base_result, _ = _sync(LATEST)
    repriced, chosen = repriced_catalog(work / "catalog", args.reprice)
    gpus = sorted({str(d.offer["gpu_name"]) for d in base_result.deltas if d.offer.get("gpu_name")})
    subs = subscriptions(args.clients, gpus)
    port = _free_port()
    server_env = {**os.environ, **env}
    server = subprocess.Popen([sys.executable, "-m", "gpubroker", "serve", "--port", str(port),
                               "--no-sync", "--sync-interval", "0",
                               "--workers", str(args.workers)], cwd=REPO, env=server_env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processes = [server]
    timer = _stop_after(args.limit_s, processes)
    try:
        health_wait(f"http://127.0.0.1:{port}", server, timeout_s=180)
        time.sleep(1)  # the workers' imports settle
        idle_mb = _rss_mb(server.pid)
        report = _run(port, subs, repriced, server.pid, args.batch, processes)
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:  # open sockets can hold a graceful shutdown up
            server.kill()
    timer.cancel()
    _report(report, subs, chosen, idle_mb, args.workers)
    _say(f"load after: {_load()}")


def _run(port: int, subs: list[dict[str, Any]], repriced: Path, server_pid: int, batch: int,
         started_processes: list[subprocess.Popen[Any]]) -> dict[str, Any]:
    clients = subprocess.Popen(
        [sys.executable, __file__, "--as-clients", str(port), str(batch)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO)
    started_processes.append(clients)  # the limit kills them too
    assert clients.stdin and clients.stdout
    clients.stdin.write(json.dumps(subs) + "\n")
    clients.stdin.flush()
    started = time.monotonic()
    if clients.stdout.readline().strip() != "READY":
        raise SystemExit("the clients did not subscribe")
    connect_s = time.monotonic() - started
    subscribed_mb = _rss_mb(server_pid)
    cpu_before = _cpu_s(server_pid)
    load_at_sync = _load()
    clients.stdin.write("go\n")
    clients.stdin.flush()
    _say(f"{len(subs)} subscribed in {connect_s:.1f}s; syncing (load {load_at_sync})")
    started = time.monotonic()
    PUBLISHED.clear()
    result, committed = _sync(repriced)
    sync_s = time.monotonic() - started
    _say(f"sync committed ({sync_s:.1f}s); waiting for delivery to go quiet")
    client_cpu_s = float(clients.stdout.readline().removeprefix("CLIENT_CPU "))
    line = clients.stdout.readline()
    fanout_cpu_s = _cpu_s(server_pid) - cpu_before
    after_mb = _rss_mb(server_pid)
    clients.wait(60)
    frames = json.loads(line.removeprefix("RESULT "))
    return {"result": result, "committed": committed, "frames": frames, "sync_s": sync_s,
            "connect_s": connect_s, "subscribed_mb": subscribed_mb, "after_mb": after_mb,
            "fanout_cpu_s": fanout_cpu_s, "client_cpu_s": client_cpu_s,
            "load_at_sync": load_at_sync}


def _report(run: dict[str, Any], subs: list[dict[str, Any]], chosen: int,
            idle_mb: tuple[float, float], workers: int) -> None:
    result, frames = run["result"], run["frames"]
    expected = _expected(result, subs)
    got = [[i for _, ids in client for i in ids] for client in frames]
    wrong = sum(1 for e, g in zip(expected, got, strict=True)
                if sorted(e) != sorted(g))  # each matching delta exactly once
    latencies = [(stamp - run["committed"]) * 1000 for client in frames for stamp, _ in client]
    last = [max(stamp for stamp, _ in c) - run["committed"] for c in frames if c]
    print(f"offers repriced: {chosen} chosen, sync deltas: {len(result.deltas)} "
          f"(sync {run['sync_s']:.1f}s, publishing included); server workers: {workers}")
    print(f"subscribers: {len(subs)} connected+subscribed in {run['connect_s']:.1f}s; "
          f"{sum(1 for e in expected if e)} had matching deltas; "
          f"{sum(len(c) for c in frames)} delta frames, {sum(len(g) for g in got)} deltas")
    print(f"mismatched subscribers (frames != their filter's deltas, each once): {wrong}")
    if len(PUBLISHED) >= 2:
        print(f"publishing (after the other after-sync listeners) began "
              f"{(PUBLISHED[0] - run['committed']) * 1000:.0f} ms after the commit and took "
              f"{(PUBLISHED[1] - PUBLISHED[0]) * 1000:.0f} ms")
    if latencies:
        print(f"commit->receipt per frame: p50 {statistics.median(latencies):.0f} ms, "
              f"p99 {_percentile(latencies, 0.99):.0f} ms, max {max(latencies):.0f} ms; "
              f"last frame at {max(last) * 1000:.0f} ms")
    print(f"server RSS MB: idle {idle_mb[0]:.0f}, {len(subs)} subscribed "
          f"{run['subscribed_mb'][0]:.0f}, after the sync {run['after_mb'][0]:.0f} "
          f"(peak {run['after_mb'][1]:.0f}); server CPU for the fan-out "
          f"{run['fanout_cpu_s']:.1f}s, the clients' process for receiving "
          f"{run['client_cpu_s']:.1f}s; load at the sync {run['load_at_sync']}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--as-clients":
        port = int(sys.argv[2])
        asyncio.run(_clients_main(f"ws://127.0.0.1:{port}/ws/offers/",
                                  f"http://127.0.0.1:{port}", json.loads(sys.stdin.readline()),
                                  int(sys.argv[3])))
    else:
        main()
