"""Rows as engines return them (SQLite text, PostgreSQL types, ClickHouse JSON) -> Python."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def as_bool(value: Any) -> bool:
    return value in (True, 1, "1", "true")


def as_time(value: Any) -> datetime:
    """A bucket or timestamp from any engine (datetime, or SQL/ClickHouse text) in UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def as_offer(row: dict[str, Any]) -> dict[str, Any]:
    """The offer a row names (cheapest-offer queries)."""
    return {"provider": row["provider"], "instance_type": row["instance_type"],
            "region": row["region"], "spot": as_bool(row["spot"]),
            "gpu_count": float(row["gpu_count"]), "price_per_hour": float(row["price_per_hour"]),
            "price_per_gpu_hour": float(row["price_per_gpu_hour"])}
