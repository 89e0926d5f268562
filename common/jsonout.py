"""JSON text as the API writes it (orjson): the API's renderer and the CLI's ``--json`` share it,
so both write timestamps alike (ISO 8601 with the UTC offset) and integers as integers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "model_dump"):
        return value.model_dump()
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


def json_bytes(data: Any, *, indent: bool = False) -> bytes:
    return orjson.dumps(data, default=_default,
                        option=_OPTIONS | (orjson.OPT_INDENT_2 if indent else 0))


def json_text(data: Any) -> str:
    """Indented, for a terminal."""
    return json_bytes(data, indent=True).decode()
