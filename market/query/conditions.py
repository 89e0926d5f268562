"""A condition is one constraint on one field; parameters and ``q=`` both become conditions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from common.errors import InvalidFilter
from market.normalize.geo import continent_code, country_code
from market.query.fields import BOOL_FIELDS, NUMERIC_FIELDS, TEXT_FIELDS

NUMERIC_OPS = ("<", "<=", ">", ">=", "=", "!=")
SET_OPS = ("=", "!=", "in", "notin")
BOOL_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}

Value = float | bool | tuple[str, ...]


@dataclass(frozen=True)
class Condition:
    """``field op value``; ``label`` is what the user wrote, ``param`` where they wrote it."""

    field: str
    op: str
    value: Value
    label: str
    param: str

    def __post_init__(self) -> None:
        allowed = NUMERIC_OPS if self.field in NUMERIC_FIELDS else SET_OPS
        if self.op not in allowed:
            raise InvalidFilter(f"operator '{self.op}' does not apply to {self.field} "
                                f"in '{self.label}' (use one of {', '.join(allowed)})")


def condition_make(field: str, op: str, raw: str | list[str], *, label: str,
                   param: str) -> Condition:
    """Parse ``raw`` for ``field`` into a typed Condition; InvalidFilter names the bad part."""
    if field in NUMERIC_FIELDS:
        return Condition(field, op, _number(raw, label), label, param)
    if field in BOOL_FIELDS:
        return Condition(field, "in" if op == "=" else "notin" if op == "!=" else op,
                         _boolean(raw, label), label, param)
    if field in TEXT_FIELDS:
        return Condition(field, op, _texts(field, raw, label), label, param)
    raise InvalidFilter(f"unknown field '{field}' in '{label}'")


def _number(raw: str | list[str], label: str) -> float:
    text = raw if isinstance(raw, str) else ",".join(raw)
    try:
        value = float(text)
    except ValueError:
        raise InvalidFilter(f"'{text}' is not a number in '{label}'") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidFilter(f"'{text}' is not a finite number in '{label}'")
    return value


def _boolean(raw: str | list[str], label: str) -> bool:
    text = (raw if isinstance(raw, str) else ",".join(raw)).strip().lower()
    if text not in BOOL_WORDS:
        raise InvalidFilter(f"'{text}' is not true or false in '{label}'")
    return BOOL_WORDS[text]


def _texts(field: str, raw: str | list[str], label: str) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else raw
    values = [v.strip() for item in items for v in item.split(",") if v.strip()]
    if not values:
        raise InvalidFilter(f"no value given in '{label}'")
    if field == "country":
        return tuple(_coded(v, country_code, "country", label) for v in values)
    if field == "continent":
        return tuple(_coded(v, continent_code, "continent", label) for v in values)
    return tuple(values)


def _coded(value: str, parse: Callable[[str], str | None], what: str, label: str) -> str:
    code = parse(value)
    if code is None:
        raise InvalidFilter(f"unknown {what} '{value}' in '{label}'")
    return code
