"""The offer fields a query can filter and sort on, with the names users write for them
(all derived from the one table, ``market.fields``)."""

from __future__ import annotations

from market.fields import ALIASES, BOOL_FIELDS, FILTER_FIELDS, NUMERIC_FIELDS, TEXT_FIELDS

ALL_FIELDS = FILTER_FIELDS
__all__ = ["ALIASES", "ALL_FIELDS", "BOOL_FIELDS", "NUMERIC_FIELDS", "TEXT_FIELDS",
           "field_canonical"]


def field_canonical(name: str) -> str | None:
    """The field ``name`` means (aliases resolved), or None if there is no such field."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    return key if key in ALL_FIELDS else None
