"""Two engines, one interface: ``engine.rows(QUERY_NAME, **params) -> list[dict]``.

`SqlEngine` runs the named queries of `kpi.queries` on the primary database (SQLite or
PostgreSQL); `ClickHouseEngine` runs the same texts on ClickHouse (a server through
clickhouse-connect, or chDB in-process), whose tables `kpi.clickhouse` keeps in step after
every sync. `kpi.backends.kpi_engine()` picks ClickHouse when ``CLICKHOUSE_URL`` is set.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Protocol

from django.db import connection

from kpi import queries

_PARAM = re.compile(r"(?<![:\w]):([a-z][a-z_0-9]*)")
_QUANTILES = {"p25": 0.25, "p50": 0.5, "p75": 0.75}


class Engine(Protocol):
    name: str

    def rows(self, query: str, *, interval: str = "day", **params: Any) -> list[dict[str, Any]]:
        """Run the named query of `kpi.queries`; ``interval`` picks the history bucket."""
        ...

    def rows_each(self, queries: tuple[str, ...], **params: Any) -> dict[str, list[dict]]:
        """Several named queries on the same parameters; an engine may fold them into one."""
        ...


def expand_lists(params: dict[str, Any]) -> dict[str, Any]:
    """``gpus=[a, b]`` -> ``gpus_0=a, gpus_1=b`` (the text says ``IN :gpus``)."""
    flat: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, list | tuple):
            flat.update({f"{key}_{i}": item for i, item in enumerate(value)})
        else:
            flat[key] = value
    return flat


def bind(text: str, params: dict[str, Any], placeholder: Callable[[str, Any], str]) -> str:
    """Replace each ``:name`` with the engine's placeholder; lists become ``(p0, p1, ...)``."""
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        value = params[name]
        if isinstance(value, list | tuple):
            if not value:
                raise ValueError(f"parameter {name} is an empty list")
            return "(" + ", ".join(placeholder(f"{name}_{i}", v) for i, v in
                                   enumerate(value)) + ")"
        return placeholder(name, value)
    return _PARAM.sub(one, text)


@lru_cache(maxsize=256)
def render(query: str, **fragments: str) -> str:
    """The text of ``query`` with the dialect's functions and relations in place."""
    return getattr(queries, query).format(**fragments)


class SqlEngine:
    """The primary database (SQLite or PostgreSQL) through Django's connection."""

    name = "sql"

    def rows(self, query: str, *, interval: str = "day", **params: Any) -> list[dict[str, Any]]:
        text = render(query, **sql_fragments(connection.vendor, interval))
        sql = bind(text, params, lambda name, _value: f"%({name})s")
        values = {k: _adapt(v) for k, v in expand_lists(params).items()}
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def rows_each(self, queries: tuple[str, ...], **params: Any) -> dict[str, list[dict]]:
        return {name: self.rows(name, **params) for name in queries}


def _adapt(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


# Whole GPUs only: a share of one GPU (gpu_fraction < 1) priced "per GPU-hour" is the price of
# the share, not of a GPU, and would pass for the cheapest of its kind.
OFFERS_SQL = ("(SELECT provider_id AS provider, instance_type, region, spot, continent, "
              "gpu_name, gpu_count, price_per_hour, price_per_gpu_hour FROM market_offer "
              "WHERE gpu_fraction >= 1) AS o")
OBSERVATIONS_SQL = "market_priceobservation"
DAILY_SQL = ("(SELECT day AS observed_at, gpu_name, provider, spot, observations, min_price, "
             "median_price AS price_per_gpu_hour, max_price FROM kpi_dailyprice) AS d")


def sql_fragments(vendor: str, interval: str) -> dict[str, str]:
    if vendor == "postgresql":
        quantile = "percentile_cont({q}) WITHIN GROUP (ORDER BY price_per_gpu_hour)"
        bucket = {"hour": "date_trunc('hour', observed_at)", "day":
                  "date_trunc('day', observed_at)", "week": "date_trunc('week', observed_at)"}
        collate = ' COLLATE "C"'
    else:  # SQLite: quantiles by the aggregate kpi.apps registers (mathcore's formula)
        quantile = "kpi_quantile(price_per_gpu_hour, {q})"
        bucket = {"hour": "strftime('%%Y-%%m-%%d %%H:00:00', observed_at)",
                  "day": "strftime('%%Y-%%m-%%d 00:00:00', observed_at)",
                  "week": "strftime('%%Y-%%m-%%d 00:00:00', observed_at, 'weekday 0', "
                          "'-6 days')"}
        collate = ""
    return fragments(quantile, bucket[interval], bucket["day"], collate, OFFERS_SQL,
                     OBSERVATIONS_SQL, DAILY_SQL)


def fragments(quantile: str, bucket: str, day: str, collate: str, offers: str,
              observations: str, daily: str) -> dict[str, str]:
    """The dialect's pieces for `render`: quantiles, time buckets, collation, relations."""
    found = {name: quantile.format(q=q) for name, q in _QUANTILES.items()}
    return {**found, "bucket": bucket, "day": day, "c": collate, "offers": offers,
            "observations": observations, "daily": daily}
