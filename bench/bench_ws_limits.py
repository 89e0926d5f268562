"""Server memory under 1,000 hostile WebSocket connections to ``/ws/offers/`` from one address.

    python bench/bench_ws_limits.py [--connections 1000] [--per-address 20] [--repo PATH]

Starts the app under uvicorn on 127.0.0.1 as ``gpubroker serve`` does (``--ws-max-size``
from the frame limit; ``--no-ws-limit`` for uvicorn's default), opens ``--connections``
connections from 127.0.0.1 and has each, in turn, send one of the probe's attacks: an 11 MB
subscribe frame listing a million providers (one connection in 100: 11 MB each), 100,000
nested brackets, a flood of 50 messages, a 65-value subscription. All stay open until every
one has had its answer, then close. Prints the server's RSS (baseline, peak, after), how
many connections were greeted, and the close codes and error codes they met.
Bounded: one attack per connection, loopback only, a deadline per answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.server import REPO, PeakRss, rss_mb, started  # noqa: E402

ANSWER_S = 20.0
BIG = json.dumps({"subscribe": {"provider": [f"prov{i:07d}" for i in range(1_000_000)]}})
DEEP = "[" * 100_000 + "]" * 100_000
WIDE = json.dumps({"subscribe": {"provider": ["aws"] * 65}})
SMALL = json.dumps({"subscribe": {"q": "gpu=H100"}})


def _attack(i: int) -> list[str]:
    if i % 100 == 0:
        return [BIG]
    return [[DEEP], [SMALL] * 50, [WIDE]][i % 3]


def _closed(exc: ConnectionClosed) -> str:
    if exc.rcvd is None:
        return "close:none"
    reason = f" ({exc.rcvd.reason})" if exc.rcvd.code == 1011 else ""
    return f"close:{exc.rcvd.code}{reason}"


async def _answers(ws: ClientConnection, outcome: Counter[str]) -> None:
    """Read until the server has answered every frame or closed (deadline per answer)."""
    try:
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), ANSWER_S))
            outcome[f"{message['type']}:{message.get('code', '')}"] += 1
    except ConnectionClosed as exc:
        outcome[_closed(exc)] += 1
    except TimeoutError:
        outcome["open"] += 1


async def _one(uri: str, i: int, outcome: Counter[str], held: list[Any],
               all_in: asyncio.Event) -> None:
    try:
        ws = await connect(uri, origin="http://localhost", max_size=None, open_timeout=60,
                           ping_interval=None)
    except (OSError, TimeoutError, ConnectionClosed) as exc:
        outcome[f"connect-failed:{type(exc).__name__}"] += 1
        return
    held.append(ws)
    try:
        first = json.loads(await asyncio.wait_for(ws.recv(), ANSWER_S))
        outcome[f"first:{first['type']}"] += 1
        for frame in _attack(i):
            await ws.send(frame)
        await _answers(ws, outcome)
    except ConnectionClosed as exc:
        outcome[_closed(exc)] += 1
    except TimeoutError:
        outcome["no-answer"] += 1
    await all_in.wait()  # hold every connection until all have been answered


async def _storm(uri: str, connections: int, pid: int) -> tuple[Counter[str], float]:
    outcome: Counter[str] = Counter()
    held: list[Any] = []
    all_in = asyncio.Event()
    with PeakRss(pid) as peak:
        tasks = [asyncio.create_task(_one(uri, i, outcome, held, all_in))
                 for i in range(connections)]
        while sum(1 for t in tasks if not t.done()) and not all_in.is_set():
            await asyncio.sleep(0.5)
            waiting = sum(outcome[k] for k in outcome if not k.startswith("first:"))
            if waiting >= connections:
                break
        all_in.set()
        await asyncio.gather(*tasks)
        for ws in held:
            await ws.close()
    return outcome, peak.peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--per-address", type=int, default=20)
    parser.add_argument("--frame-bytes", type=int, default=4096)
    parser.add_argument("--no-ws-limit", action="store_true",
                        help="run uvicorn with its default 16 MiB frames (older versions)")
    parser.add_argument("--repo", type=Path, default=REPO)
    args = parser.parse_args()
    env = {"GPUBROKER_WS_MAX_PER_ADDRESS": str(args.per_address)}
    uv = () if args.no_ws_limit else ("--ws-max-size", str(args.frame_bytes))
    with started(args.repo, extra_env=env, uvicorn_args=uv) as server:
        uri = f"ws://127.0.0.1:{server.port}/ws/offers/"
        baseline = rss_mb(server.pid)
        outcome, peak = asyncio.run(_storm(uri, args.connections, server.pid))
        asyncio.run(asyncio.sleep(1.0))
        after = rss_mb(server.pid)
    print(f"connections {args.connections}, per-address cap {args.per_address}, "
          f"frame limit {'uvicorn default' if args.no_ws_limit else args.frame_bytes}")
    print(f"server RSS MB: baseline {baseline:.0f}, peak {peak:.0f} "
          f"(+{peak - baseline:.0f}), after {after:.0f}")
    print("outcomes:", dict(sorted(outcome.items())))


if __name__ == "__main__":
    main()
