"""Redis going away under a real `gpubroker serve --workers 2`, and coming back.

A private redis-server (tests/support/redis_server.py, never the machine's shared one) is the
cache, the rate-limit store and the WebSocket channel layer. It is killed while a client
holds a WebSocket and polls the API, then started again on the same port.

What must hold: offers keep being answered (the general API rate limit is not counted while
the cache is down), the limits that guard secrets answer a clear 503 ``cache_unavailable``
(login is not left unthrottled), an open WebSocket and a new one are closed 1013 with the
reason, never a 500; once Redis is back every answer is as before and WebSockets connect.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.support.catalogs import CatalogServer, vast_catalog
from tests.support.postgres import wait_until
from tests.support.redis_server import PrivateRedis, private_redis
from tests.support.stack import serving, stack_env

OFFERS = "/api/v2/providers/?provider=vast&per_page=5"
LOGIN = "/api/v2/auth/login"
CREDENTIALS = {"email": "nobody@example.com", "password": "not the password"}


@dataclass
class Stack:
    redis: PrivateRedis
    base: str
    log: Path


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("redis-fault")
    with private_redis(tmp) as redis_server:
        catalogs = CatalogServer(tmp / "catalogs")
        vast_catalog(catalogs.v7, h100_high=False)
        env = stack_env(data_dir=tmp / "data", catalogs=catalogs,
                        drop=("DATABASE_URL", "GPUBROKER_SCHEDULER", "GPUBROKER_CACHE_PREFIX"),
                        REDIS_URL=redis_server.url)
        log = tmp / "serve.log"
        try:
            with serving(env, log, "--workers", "2", "--sync-interval", "3600") as base:
                yield Stack(redis_server, base, log)
        finally:
            catalogs.close()


def _ws(base: str) -> ClientConnection:
    return connect(f"{base.replace('http', 'ws')}/ws/offers/", origin="http://localhost",
                   open_timeout=10, close_timeout=5)


def _closed_code(ws: ClientConnection) -> tuple[int | None, str]:
    """Read until the server closes; its close code and reason."""
    try:
        while True:
            ws.recv(timeout=30)
    except ConnectionClosed as closed:
        received = closed.rcvd
        return (received.code, received.reason) if received else (None, "")


def _greets(base: str) -> bool:
    with _ws(base) as ws:
        try:
            return '"hello"' in ws.recv(timeout=10)
        except ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 1013
            return False


def _answers(base: str) -> tuple[int, int, str | None]:
    offers = httpx.get(f"{base}{OFFERS}", timeout=30)
    login = httpx.post(f"{base}{LOGIN}", json=CREDENTIALS, timeout=30)
    return offers.status_code, login.status_code, login.json().get("code")


def test_redis_killed_and_restarted(stack: Stack) -> None:
    base = stack.base
    assert _answers(base)[:2] == (200, 401)
    held = _ws(base).__enter__()
    assert '"hello"' in held.recv(timeout=10)

    stack.redis.kill()
    down = [_answers(base) for _ in range(8)]  # new connections: both workers answer
    assert {offers for offers, _, _ in down} == {200}  # offers need no cache
    assert {(login, code) for _, login, code in down} == {(503, "cache_unavailable")}
    code, reason = _closed_code(held)
    assert code == 1013 and "Redis" in reason
    with _ws(base) as refused:
        assert _closed_code(refused)[0] == 1013

    stack.redis.start()
    wait_until(lambda: _answers(base)[:2] == (200, 401), what="answers as before Redis went")
    assert {_answers(base)[:2] for _ in range(6)} == {(200, 401)}
    # a worker's first use of a pooled connection that died with the server may still
    # close 1013; the client reconnects, as the close reason says, and is greeted
    wait_until(lambda: _greets(base), timeout_s=60, what="a WebSocket greeted after Redis")
    log = stack.log.read_text()
    assert "Traceback" not in log and '"status": 500' not in log
    assert "Service Unavailable" not in log  # one warning per refusal, not an ERROR as well
