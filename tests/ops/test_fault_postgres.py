"""PostgreSQL restarted in the middle of a sync, under a real `gpubroker serve --workers 2`.

A private PostgreSQL (tests/support/postgres.py, never the machine's shared one) holds the
store. The test holds a lock on the price-history table, so the next periodic sync of vast
(one H100 offer repriced in the catalog) stops inside its transaction, after it updated the
offer and before it appended the observation; then the server is stopped, left down for a
while and started again. Meanwhile a client polls the API.

What must hold: the interrupted transaction left nothing (the provider's offers are those of
the last good sync until the retried one commits), the sync is retried and completes (the
new price, one observation for it, no offer lost), offers are answered from memory while the
database is down, every other answer is a clear 503 naming the database (never a 500), and
once the database is back, answers are 200 again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.support.catalogs import H100_KEY, CatalogServer, h100_prices, vast_catalog
from tests.support.postgres import PrivatePostgres, private_postgres, wait_until
from tests.support.stack import migrate, serving, stack_env

OFFERS = "/api/v2/providers/?provider=vast&per_page=5"
PATHS = (OFFERS, "/api/v2/providers/config", "/health")
BLOCKED_INSERT = ("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                  "AND query LIKE 'INSERT INTO \"market_priceobservation\"%%'")


@dataclass
class Answer:
    phase: str
    path: str
    status: int
    code: str | None
    retry_after: str | None


@dataclass
class Poller:
    """Asks every path in turn until stopped; each answer is recorded with the test's phase."""

    base: str
    phase: str = "before"
    answers: list[Answer] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self.stopped.is_set():
                for path in PATHS:
                    self.answers.append(self._ask(client, path))
                time.sleep(0.05)

    def _ask(self, client: httpx.Client, path: str) -> Answer:
        phase = self.phase
        response = client.get(path)
        code = response.json().get("code") if response.status_code != 200 else None
        return Answer(phase, path, response.status_code, code, response.headers.get("Retry-After"))

    def of(self, phase: str) -> list[Answer]:
        return [a for a in self.answers if a.phase == phase]


@dataclass
class Stack:
    pg: PrivatePostgres
    catalogs: CatalogServer
    base: str
    log: Path


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with private_postgres() as pg:
        catalogs = CatalogServer(tmp_path_factory.mktemp("catalogs"))
        vast_catalog(catalogs.v7, h100_high=True)
        log = tmp_path_factory.mktemp("log") / "serve.log"
        env = stack_env(data_dir=tmp_path_factory.mktemp("serve"), catalogs=catalogs,
                        drop=("REDIS_URL", "GPUBROKER_SCHEDULER"), DATABASE_URL=pg.url,
                        GPUBROKER_SYNC_RETRY_BACKOFF_S="0.5")
        migrate(env)
        try:
            with serving(env, log, "--workers", "2", "--sync-interval", "8") as base:
                yield Stack(pg, catalogs, base, log)
        finally:
            catalogs.close()


def _h100(pg: PrivatePostgres) -> tuple[float, list[float], int, int]:
    """(the H100 offer's stored price, its observed prices in order, vast's offers, stale)."""
    instance, region = H100_KEY
    with pg.connect() as conn:
        price = conn.execute("SELECT price_per_hour FROM market_offer WHERE provider_id = "
                             "'vast' AND instance_type = %s AND region = %s AND NOT spot",
                             (instance, region)).fetchone()[0]
        observed = [r[0] for r in conn.execute(
            "SELECT price_per_hour FROM market_priceobservation WHERE provider = 'vast' AND "
            "instance_type = %s AND region = %s AND NOT spot ORDER BY observed_at",
            (instance, region))]
        offers, stale = conn.execute("SELECT count(*), count(*) FILTER (WHERE stale) FROM "
                                     "market_offer WHERE provider_id = 'vast'").fetchone()
    return float(price), [float(p) for p in observed], offers, stale


def _blocked(pg: PrivatePostgres) -> bool:
    with pg.connect() as conn:
        return conn.execute(BLOCKED_INSERT).fetchone()[0] > 0


def test_postgres_restart_mid_sync(stack: Stack) -> None:
    pg, (high, low) = stack.pg, h100_prices()
    price, observed, offers_before, _ = _h100(pg)
    assert price == pytest.approx(high)  # the offer as first synced
    assert offers_before > 0
    poller = Poller(stack.base)
    thread = threading.Thread(target=poller.run, daemon=True)
    thread.start()
    try:
        _restart_mid_sync(stack, poller, price)
    finally:  # no request of the poller outlives the test (its log would hit a closed stream)
        poller.stopped.set()
        thread.join(timeout=60)

    new_price, new_observed, offers_after, stale = _h100(pg)
    assert new_observed == [*observed, new_price]  # one observation: the aborted one left none
    assert new_price == pytest.approx(low)
    assert offers_after == offers_before and stale == 0  # no offer lost, none left stale
    log = stack.log.read_text()
    assert "periodic sync failed: retry 1 in" in log
    _answers_check(poller)


def _restart_mid_sync(stack: Stack, poller: Poller, price: float) -> None:
    """Block a sync inside its transaction, stop PostgreSQL under it, start it again and
    wait for the retried sync to commit and every path to answer."""
    pg = stack.pg
    wait_until(lambda: len(poller.answers) >= 6, what="the first answers")

    holder = pg.connect()  # the next sync waits on this lock inside its transaction
    holder.execute("LOCK TABLE market_priceobservation IN EXCLUSIVE MODE")
    vast_catalog(stack.catalogs.v7, h100_high=False)
    wait_until(lambda: _blocked(pg), what="a sync blocked inside its transaction")
    assert _h100(pg)[0] == price  # its offer update is not visible: not committed

    poller.phase = "down"
    pg.stop()  # the sync's transaction is rolled back with its connection
    holder.close()
    wait_until(lambda: sum(a.path == PATHS[1] for a in poller.of("down")) >= 5,
               what="answers while the database is down")
    pg.start()
    poller.phase = "after"
    wait_until(lambda: _h100(pg)[0] != price, what="the retried sync to commit")
    wait_until(lambda: sum(a.status == 200 for a in poller.of("after")) >= 6,
               what="answers after the restart")


def _answers_check(poller: Poller) -> None:
    answers = poller.answers
    assert not [a for a in answers if a.status >= 500 and a.status != 503]  # never a 500
    refused = [a for a in answers if a.status == 503]
    assert refused, "the database being down was noticed by the API"
    assert all(a.code == "database_unavailable" for a in refused)
    assert all(a.retry_after for a in refused if a.path != "/health")
    assert {a.status for a in answers if a.path == OFFERS} == {200}  # served from memory
    for path in PATHS:  # once the database answered again, so does every path
        mine = [a.status for a in answers if a.path == path and a.phase == "after"]
        first_ok = mine.index(200)
        assert set(mine[first_ok:]) == {200}, (path, mine)
