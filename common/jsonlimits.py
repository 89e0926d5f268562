"""JSON parsed only after its shape is known to be small: depth and item count first.

``json_loads_bounded(raw, limits)`` refuses a document nested deeper than
``limits.max_depth`` (400 ``json_too_deep``) or holding more than ``limits.max_items``
values (413 ``json_too_many_items``) before a single Python object is built, then parses
with orjson (strict UTF-8: lone surrogates and invalid bytes are refused, never stored).

The scan works on bytes at C speed (``re``/``bytes.count``): string literals are blanked
first (brackets or commas inside strings do not count), the item count is an upper bound
(commas plus containers), and each depth pass removes the innermost containers, so a
document is refused after ``max_depth`` passes however deep it goes — no recursion, so
100,000 nested brackets cannot raise RecursionError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from common.errors import BadRequest, PayloadTooLarge
from common.jsonmatrix import json_loads_matrices

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_INNERMOST = re.compile(rb"\[[^\[\]{}]*\]|\{[^\[\]{}]*\}")


@dataclass(frozen=True)
class JsonLimits:
    max_depth: int
    max_items: int

    def __post_init__(self) -> None:
        if self.max_depth < 1 or self.max_items < 1:
            raise ValueError("JSON limits must be positive")


class JsonTooDeep(BadRequest):
    code = "json_too_deep"


class JsonTooManyItems(PayloadTooLarge):
    code = "json_too_many_items"


class JsonInvalid(BadRequest):
    code = "invalid_json"


def json_shape_check(raw: bytes, limits: JsonLimits) -> None:
    """Raise JsonTooManyItems / JsonTooDeep when ``raw`` is over ``limits``; parse nothing."""
    text = _STRING.sub(b'""', raw)
    items = text.count(b",") + text.count(b"[") + text.count(b"{")
    if items > limits.max_items:
        raise JsonTooManyItems(f"JSON holds more than {limits.max_items} values "
                               f"(limit {limits.max_items})", limit=limits.max_items)
    for _ in range(limits.max_depth):
        text, removed = _INNERMOST.subn(b"0", text)
        if not removed:
            return
    if b"[" in text or b"{" in text:
        raise JsonTooDeep(f"JSON is nested deeper than {limits.max_depth} levels "
                          f"(limit {limits.max_depth})", limit=limits.max_depth)


def json_loads_bounded(raw: bytes | str, limits: JsonLimits, *, matrices: bool = False) -> Any:
    """Parse ``raw`` once it passed ``json_shape_check``; JsonInvalid when it is not JSON.
    ``matrices``: number matrices come back as numpy arrays (``common.jsonmatrix``)."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    json_shape_check(data, limits)
    try:
        return json_loads_matrices(data) if matrices else orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise JsonInvalid(f"not valid JSON: {exc}") from exc
