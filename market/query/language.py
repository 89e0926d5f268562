"""The ``q=`` filter language, in the spirit of the Vast.ai CLI's search.

    gpu_memory_gb>=40 gpu_count>=2 price_per_hour<3 provider in [aws,gcp] spot=false

A query is a space-separated list of ``field op value``; ``op`` is one of
``< <= > >= = == !=`` or the words ``in`` / ``notin`` before a ``[a,b]`` list. Field names
accept aliases (``gpu``, ``price``, ``num_gpus``, ``gpu_ram`` …). Every error names the token.
"""

from __future__ import annotations

import re

from common.errors import InvalidFilter
from market.query.conditions import Condition, condition_make
from market.query.fields import ALL_FIELDS, field_canonical

MAX_QUERY_CHARS = 2000
_TOKEN = re.compile(
    r"(?P<field>[A-Za-z_][A-Za-z0-9_]*)\s*"
    r"(?:(?P<op><=|>=|==|!=|<|>|=)|\s(?P<word>in|notin|not\s+in)\s)\s*"
    r"(?P<value>\[[^\]]*\]|[^\s\[\]]+)"
)
_OP_CHARS = set("<>=!")


def query_parse(q: str) -> list[Condition]:
    if len(q) > MAX_QUERY_CHARS:
        raise InvalidFilter(f"q is longer than {MAX_QUERY_CHARS} characters")
    conditions: list[Condition] = []
    pos = _skip_space(q, 0)
    while pos < len(q):
        match = _TOKEN.match(q, pos)
        if not match:
            raise InvalidFilter(f"cannot parse '{_word_at(q, pos)}' in q (expected field op value,"
                                " e.g. gpu_memory_gb>=40)", token=_word_at(q, pos))
        conditions.append(_condition(match))
        pos = _skip_space(q, match.end())
        if pos < len(q) and pos == match.end():
            raise InvalidFilter(f"expected a space after '{match.group(0)}' in q",
                                token=match.group(0))
    return conditions


def _condition(match: re.Match[str]) -> Condition:
    token = match.group(0)
    field = field_canonical(match.group("field"))
    if field is None:
        raise InvalidFilter(f"unknown field '{match.group('field')}' in '{token}' "
                            f"(fields: {', '.join(ALL_FIELDS)})", token=token)
    op = _op(match)
    value = match.group("value")
    if value[0] in _OP_CHARS:
        raise InvalidFilter(f"bad operator in '{token}'", token=token)
    if op in ("in", "notin") and not value.startswith("["):
        raise InvalidFilter(f"'{op}' needs a [a,b] list in '{token}'", token=token)
    items: str | list[str] = _list(value) if value.startswith("[") else value
    return condition_make(field, op, items, label=token, param="q")


def _op(match: re.Match[str]) -> str:
    if match.group("op"):
        return "=" if match.group("op") == "==" else match.group("op")
    return "in" if match.group("word") == "in" else "notin"


def _list(value: str) -> list[str]:
    return [item.strip().strip("'\"") for item in value[1:-1].split(",") if item.strip()]


def _skip_space(q: str, pos: int) -> int:
    while pos < len(q) and q[pos].isspace():
        pos += 1
    return pos


def _word_at(q: str, pos: int) -> str:
    end = pos
    while end < len(q) and not q[end].isspace():
        end += 1
    return q[pos:end]
