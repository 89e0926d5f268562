"""ClickHouse: a server through clickhouse-connect, or chDB (ClickHouse in-process).

``CLICKHOUSE_URL`` is ``http(s)://user:password@host:8123/database`` for a server, or
``chdb:///path/to/folder`` (``chdb://`` alone: in memory) for chDB. Both run the same SQL
texts (`kpi.queries`) with server-side bound parameters (``{name:Type}``).

Tables: ``gpubroker_observations``, a MergeTree partitioned by month and ordered by
(gpu_name, observed_at) for per-GPU time queries, fed from the primary database's price
observations; ``gpubroker_offers``, the offers listed at each sync (``snapshot``), only the
newest kept; ``gpubroker_daily``, the daily rollup that retention leaves of old raw rows.

A rollup keeps daily and weekly ``history`` and the trend off the raw rows:
``gpubroker_price_days``, a SummingMergeTree fed by a materialized view on every insert into
the observations, holds how many times each price per GPU-hour was observed per day, GPU,
provider and spot. That histogram is exact, so min, max and the median (mathcore's linear
interpolation, computed over the cumulative counts) equal those of the raw rows: a 90-day
daily series reads the days' distinct prices (thousands of rows), not the observations
(hundreds of thousands per GPU family in the load test). Whole days of a window come from
the rollup, its ragged ends from the raw rows. Hourly series read the raw rows (a 7-day
window is already small, and an hourly histogram measured slower: docs/BENCHMARKS.md).
Retention deletes the rollup's rows before its cutoff (a midnight) with the raw ones. Each
query runs with ``max_threads`` = ``CLICKHOUSE_MAX_THREADS`` (default 2).
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

import orjson

from kpi.engines import bind, expand_lists, fragments, render

OBSERVATIONS = "gpubroker_observations"
OFFERS = "gpubroker_offers"
DAILY = "gpubroker_daily"
PRICE_DAYS = "gpubroker_price_days"
ROLLUPS = {PRICE_DAYS: "toStartOfDay(observed_at)"}
# An hourly rollup that briefly existed: dropped where a store still has it.
RETIRED = ("DROP VIEW IF EXISTS gpubroker_price_hours_mv",
           "DROP TABLE IF EXISTS gpubroker_price_hours")
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
    *(f"""CREATE TABLE IF NOT EXISTS {table} (
      at DateTime('UTC'), gpu_name LowCardinality(String), provider LowCardinality(String),
      spot Bool, price Float64, observations UInt64
    ) ENGINE = SummingMergeTree(observations) PARTITION BY toYYYYMM(at)
    ORDER BY (gpu_name, at, provider, spot, price)""" for table in ROLLUPS),
)
# Materialized views: created after the tables, and filled from the observations already
# there when they are new (`clickhouse_client`).
_ROLLUP_SELECT = ("SELECT {at} AS at, gpu_name, provider, spot, price_per_gpu_hour AS price, "
                  "count() AS observations FROM {observations}{where} "
                  "GROUP BY at, gpu_name, provider, spot, price")
VIEWS = {f"{table}_mv": (table, _ROLLUP_SELECT.format(at=at, observations=OBSERVATIONS,
                                                      where=""))
         for table, at in ROLLUPS.items()}

_OFFERS_NOW = (f"(SELECT * FROM {OFFERS} WHERE snapshot = "
               f"(SELECT max(snapshot) FROM {OFFERS})) AS o")
_DAILY = (f"(SELECT day AS observed_at, gpu_name, provider, spot, observations, min_price, "
          f"median_price AS price_per_gpu_hour, max_price FROM {DAILY} FINAL) AS d")
_BUCKETS = {"hour": "toStartOfHour(observed_at)", "day": "toStartOfDay(observed_at)",
            "week": "toDateTime(toMonday(observed_at), 'UTC')"}
# Daily and weekly history on ClickHouse: the daily rollup for the whole days of
# [since, until), raw rows for the ragged ends (two ranges of the primary key,
# [since, whole_since) and [whole_until, until)); a price histogram per
# bucket, then min, max and the interpolated median from its cumulative counts.
_HISTORY = """
SELECT bucket, observations, min, max, median FROM (
  SELECT bucket, observations, min, max, arrayCumSum(arrayMap(x -> x.2, hist)) AS cum,
         toFloat64(observations) - 1 AS last, last * 0.5 AS pos, floor(pos) AS low,
         hist[arrayFirstIndex(c -> c > low, cum)].1 AS at_low,
         hist[arrayFirstIndex(c -> c > least(low + 1, last), cum)].1 AS at_high,
         at_low + (at_high - at_low) * (pos - low) AS median
  FROM (
    SELECT bucket, sum(n) AS observations, min(price) AS min, max(price) AS max,
           arraySort(groupArray((price, n))) AS hist
    FROM (
      SELECT bucket, price, sum(n) AS n FROM (
        SELECT {rollup_bucket} AS bucket, price, observations AS n FROM {rollup}
        WHERE gpu_name IN :gpus AND at >= :whole_since AND at < :whole_until
          AND (:any_provider OR provider = :provider) AND (:any_spot OR spot = :spot)
        UNION ALL
        SELECT {bucket} AS bucket, price_per_gpu_hour AS price, toUInt64(1) AS n
        FROM {observations}
        WHERE gpu_name IN :gpus AND observed_at >= :since AND observed_at < :whole_since
          AND (:any_provider OR provider = :provider) AND (:any_spot OR spot = :spot)
        UNION ALL
        SELECT {bucket} AS bucket, price_per_gpu_hour AS price, toUInt64(1) AS n
        FROM {observations}
        WHERE gpu_name IN :gpus AND observed_at >= :whole_until AND observed_at < :until
          AND (:any_provider OR provider = :provider) AND (:any_spot OR spot = :spot)
      ) GROUP BY bucket, price
    ) GROUP BY bucket
  )
) ORDER BY bucket
"""
# gpu/{gpu}'s four reads of the offers listed now, as one query: a grouping set each.
_GPU_OFFERS = """
SELECT grouping(spot, provider, region, gpu_name) AS grouped, spot, provider, region,
       gpu_name, COUNT(*) AS offers, MIN(price_per_gpu_hour) AS min, {p25} AS p25,
       {p50} AS median, {p75} AS p75, MAX(price_per_gpu_hour) AS max,
       uniqExact(provider) AS providers
FROM {offers}
WHERE gpu_name IN :gpus
GROUP BY GROUPING SETS ((spot), (provider, spot), (provider, region), (gpu_name, spot))
SETTINGS force_grouping_standard_compatibility = 1
"""
# grouping(...) with the standard's bits (1 = not grouped by), spot the highest bit.
_GPU_OFFER_SETS = {0b0111: "GPU_PRICES", 0b0011: "GPU_PROVIDER_PRICES",
                   0b1001: "GPU_REGIONS", 0b0110: "GPU_MODELS"}
_GPU_OFFER_COLUMNS = {
    "GPU_PRICES": ("spot", "offers", "min", "p25", "median", "p75", "max", "providers"),
    "GPU_PROVIDER_PRICES": ("provider", "spot", "offers", "min", "p25", "median", "p75",
                            "max"),
    "GPU_REGIONS": ("provider", "region"),
    "GPU_MODELS": ("gpu_name", "spot", "offers", "min", "median", "max")}
_GPU_OFFER_ORDER = {"GPU_REGIONS": ("provider", "region"), "GPU_MODELS": ("gpu_name", "spot")}
_TYPES = ((bool, "UInt8"), (int, "Int64"), (float, "Float64"),
          (datetime, "DateTime64(6, 'UTC')"), (date, "Date"), (str, "String"))


class Client(Protocol):
    def query(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]: ...

    def command(self, sql: str) -> None: ...

    def insert(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None: ...


class ChdbClient:
    """chDB: one session per process (a chDB limit), at a folder or in memory."""

    def __init__(self, path: str, max_threads: int) -> None:
        from chdb import session

        self.path = path
        self._session = session.Session(path) if path else session.Session()
        self._lock = threading.Lock()
        self.command(f"SET max_threads = {int(max_threads)}")

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

    def __init__(self, url: str, max_threads: int) -> None:
        import clickhouse_connect

        self._client = clickhouse_connect.get_client(
            dsn=url, settings={"max_threads": int(max_threads)})

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
            client = _client_new(url)
            for ddl in (*SCHEMA, *RETIRED):
                client.command(ddl)
            _views_create(client)
            _clients[url] = client
        return _clients[url]


def _views_create(client: Client) -> None:
    """The rollups' materialized views; a new one's rollup is refilled from the observations
    already there (a store made before the rollups existed). Not atomic: an insert landing
    between the TRUNCATE and the refill's read would be counted twice, so the first start
    after an upgrade should not race a sync (streaming runs after syncs, in-process)."""
    existing = {r["name"] for r in client.query(
        "SELECT name FROM system.tables WHERE database = currentDatabase()", {})}
    for view, (table, select) in VIEWS.items():
        if view in existing:
            continue
        client.command(f"CREATE MATERIALIZED VIEW IF NOT EXISTS {view} TO {table} AS {select}")
        client.command(f"TRUNCATE TABLE {table}")
        client.command(f"INSERT INTO {table} {select}")


def _client_new(url: str) -> Client:
    threads = max_threads()
    if url.startswith("chdb:"):
        for old in [u for u in _clients if u.startswith("chdb:")]:  # one chDB session only
            chdb_client = _clients.pop(old)
            assert isinstance(chdb_client, ChdbClient)
            chdb_client.close()
        return ChdbClient(url.removeprefix("chdb:").removeprefix("//"), threads)
    return ServerClient(url, threads)


def max_threads() -> int:
    from django.conf import settings

    return int(getattr(settings, "CLICKHOUSE_MAX_THREADS", 2))


class ClickHouseEngine:
    name = "clickhouse"

    def __init__(self, url: str) -> None:
        self.client = clickhouse_client(url)

    def rows(self, query: str, *, interval: str = "day", **params: Any) -> list[dict[str, Any]]:
        if query == "HISTORY" and interval != "hour":  # the daily rollup, exact (see above)
            return self._run(history_text(interval), {**params, **whole_days(
                params["since"], params["until"])})
        return self._run(render(query, **clickhouse_fragments(interval)), params)

    def rows_each(self, queries: tuple[str, ...], **params: Any) -> dict[str, list[dict]]:
        if set(queries) != set(_GPU_OFFER_SETS.values()):
            return {name: self.rows(name, **params) for name in queries}
        text = _GPU_OFFERS.format(**clickhouse_fragments("day"))
        found: dict[str, list[dict[str, Any]]] = {name: [] for name in queries}
        for row in self._run(text, params):
            name = _GPU_OFFER_SETS[int(row["grouped"])]
            found[name].append({k: row[k] for k in _GPU_OFFER_COLUMNS[name]})
        for name, keys in _GPU_OFFER_ORDER.items():
            found[name].sort(key=lambda r, keys=keys: tuple(r[k] for k in keys))
        return found

    def _run(self, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        sql = bind(text, params, lambda name, value: f"{{{name}:{_type(value)}}}")
        return self.client.query(sql, expand_lists(params))


def history_text(interval: str) -> str:
    return _HISTORY.format(rollup=PRICE_DAYS, observations=OBSERVATIONS,
                           bucket=_BUCKETS[interval],
                           rollup_bucket=_BUCKETS[interval].replace("observed_at", "at"))


def whole_days(since: datetime, until: datetime) -> dict[str, datetime]:
    """The whole days inside [since, until): what the rollup answers (none: both ``until``)."""
    step = timedelta(days=1)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    since, until = since.astimezone(UTC), until.astimezone(UTC)
    first = epoch + -((epoch - since) // step) * step  # ceil
    last = epoch + ((until - epoch) // step) * step  # floor
    return ({"whole_since": first, "whole_until": last} if first < last
            else {"whole_since": until, "whole_until": until})


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
    for table in (OBSERVATIONS, OFFERS, DAILY, *ROLLUPS):
        client.command(f"TRUNCATE TABLE {table}")
