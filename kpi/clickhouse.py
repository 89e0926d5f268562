"""ClickHouse: a server through clickhouse-connect, or chDB (ClickHouse in-process).

``CLICKHOUSE_URL`` is ``http(s)://user:password@host:8123/database`` for a server, or
``chdb:///path/to/folder`` (``chdb://`` alone: in memory) for chDB. Both run the same SQL
texts (`kpi.queries`) with server-side bound parameters (``{name:Type}``).

Tables: ``gpubroker_observations``, a MergeTree partitioned by month and ordered by
(gpu_name, observed_at) for per-GPU time queries, fed from the primary database's price
observations; ``gpubroker_offers``, the offers listed at each sync (``snapshot``), only the
newest kept; ``gpubroker_daily``, the daily rollup that retention leaves of old raw rows.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from typing import Any, Protocol

import orjson

from kpi.engines import bind, expand_lists, fragments, render

OBSERVATIONS = "gpubroker_observations"
OFFERS = "gpubroker_offers"
DAILY = "gpubroker_daily"
OBSERVATION_COLUMNS = ("obs_id", "provider", "instance_type", "region", "spot", "gpu_name",
                       "gpu_count", "price_per_hour", "price_per_gpu_hour", "observed_at",
                       "source")
OFFER_COLUMNS = ("snapshot", "provider", "instance_type", "region", "spot", "continent",
                 "gpu_name", "gpu_count", "price_per_hour", "price_per_gpu_hour")
DAILY_COLUMNS = ("day", "gpu_name", "provider", "spot", "observations", "min_price",
                 "median_price", "max_price")

SCHEMA = (
    f"""CREATE TABLE IF NOT EXISTS {OBSERVATIONS} (
      obs_id UInt64, provider LowCardinality(String), instance_type String, region String,
      spot Bool, gpu_name LowCardinality(String), gpu_count Float64, price_per_hour Float64,
      price_per_gpu_hour Float64, observed_at DateTime64(6, 'UTC'), source String
    ) ENGINE = MergeTree PARTITION BY toYYYYMM(observed_at)
    ORDER BY (gpu_name, observed_at, obs_id)""",
    f"""CREATE TABLE IF NOT EXISTS {OFFERS} (
      snapshot DateTime64(6, 'UTC'), provider String, instance_type String, region String,
      spot Bool, continent Nullable(String), gpu_name Nullable(String), gpu_count Float64,
      price_per_hour Float64, price_per_gpu_hour Float64
    ) ENGINE = MergeTree ORDER BY (snapshot, provider)""",
    f"""CREATE TABLE IF NOT EXISTS {DAILY} (
      day Date, gpu_name LowCardinality(String), provider LowCardinality(String), spot Bool,
      observations UInt64, min_price Float64, median_price Float64, max_price Float64
    ) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(day)
    ORDER BY (gpu_name, day, provider, spot)""",
)

_OFFERS_NOW = (f"(SELECT * FROM {OFFERS} WHERE snapshot = "
               f"(SELECT max(snapshot) FROM {OFFERS})) AS o")
_DAILY = (f"(SELECT day AS observed_at, gpu_name, provider, spot, observations, min_price, "
          f"median_price AS price_per_gpu_hour, max_price FROM {DAILY} FINAL) AS d")
_BUCKETS = {"hour": "toStartOfHour(observed_at)", "day": "toStartOfDay(observed_at)",
            "week": "toDateTime(toMonday(observed_at), 'UTC')"}
_TYPES = ((bool, "UInt8"), (int, "Int64"), (float, "Float64"),
          (datetime, "DateTime64(6, 'UTC')"), (date, "Date"), (str, "String"))


class Client(Protocol):
    def query(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]: ...

    def command(self, sql: str) -> None: ...

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None: ...


class ChdbClient:
    """chDB: one session per process (a chDB limit), at a folder or in memory."""

    def __init__(self, path: str) -> None:
        from chdb import session

        self.path = path
        self._session = session.Session(path) if path else session.Session()
        self._lock = threading.Lock()

    def query(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        with self._lock:
            result = self._session.query(sql, "JSONCompact", params={
                k: _chdb_text(v) for k, v in params.items()})
        data = orjson.loads(result.bytes()) if result.bytes() else {"meta": [], "data": []}
        names = [m["name"] for m in data["meta"]]
        return [dict(zip(names, row, strict=True)) for row in data["data"]]

    def command(self, sql: str) -> None:
        with self._lock:
            self._session.query(sql)

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        for start in range(0, len(rows), 50_000):
            lines = b"\n".join(orjson.dumps(dict(zip(columns, [_json_value(v) for v in row],
                                                     strict=True)))
                               for row in rows[start:start + 50_000])
            if lines:
                self.command(f"INSERT INTO {table} FORMAT JSONEachRow " + lines.decode())

    def close(self) -> None:
        self._session.close()


class ServerClient:
    """A ClickHouse server over HTTP(S), through clickhouse-connect."""

    def __init__(self, url: str) -> None:
        import clickhouse_connect

        self._client = clickhouse_connect.get_client(dsn=url)

    def query(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        return list(self._client.query(sql, parameters=params).named_results())

    def command(self, sql: str) -> None:
        self._client.command(sql)

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if rows:
            self._client.insert(table, rows, column_names=list(columns))


_clients: dict[str, Client] = {}
_clients_lock = threading.Lock()


def clickhouse_client(url: str) -> Client:
    """The client for ``url``, its tables created on first use."""
    with _clients_lock:
        if url not in _clients:
            _clients[url] = _client_new(url)
            for ddl in SCHEMA:
                _clients[url].command(ddl)
        return _clients[url]


def _client_new(url: str) -> Client:
    if url.startswith("chdb:"):
        for old in [u for u in _clients if u.startswith("chdb:")]:  # one chDB session only
            chdb_client = _clients.pop(old)
            assert isinstance(chdb_client, ChdbClient)
            chdb_client.close()
        return ChdbClient(url.removeprefix("chdb:").removeprefix("//"))
    return ServerClient(url)


class ClickHouseEngine:
    name = "clickhouse"

    def __init__(self, url: str) -> None:
        self.client = clickhouse_client(url)

    def rows(self, query: str, *, interval: str = "day", **params: Any) -> list[dict[str, Any]]:
        text = render(query, **clickhouse_fragments(interval))
        sql = bind(text, params, lambda name, value: f"{{{name}:{_type(value)}}}")
        return self.client.query(sql, expand_lists(params))


def clickhouse_fragments(interval: str) -> dict[str, str]:
    return fragments("quantileExactInclusive({q})(price_per_gpu_hour)", _BUCKETS[interval],
                     _BUCKETS["day"], "", _OFFERS_NOW, OBSERVATIONS, _DAILY)


def _type(value: Any) -> str:
    for kind, name in _TYPES:
        if isinstance(value, kind):
            return name
    raise TypeError(f"no ClickHouse type for {type(value).__name__}")


def _chdb_text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return ch_time(value)
    return value.isoformat() if isinstance(value, date) else str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return ch_time(value)
    return value.isoformat() if isinstance(value, date) else value


def ch_time(value: datetime) -> str:
    """``value`` as ClickHouse reads a UTC DateTime64(6) ('2026-01-02 03:04:05.000006')."""
    moment = value.astimezone(UTC) if value.tzinfo else value
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def clickhouse_reset(url: str) -> None:
    """Empty every KPI table (a fresh start for a load test or a rebuild from the primary)."""
    client = clickhouse_client(url)
    for table in (OBSERVATIONS, OFFERS, DAILY):
        client.command(f"TRUNCATE TABLE {table}")
