"""Is every number in an answer backed by a tool call (its arguments or its result)?

A number in the answer is grounded when some number in the tool calls rounds to it at the
precision the answer shows ("$2.49" is backed by 2.4899; "12" by 12.0), or when it appears
as written inside a string of a tool call (an instance type, a warning of the market).
Digits glued to letters ("H100", "8x", "80GB") are names, not quantities, and are skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

_NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\.?\w)|(?<![\w.])\d+(?:\.\d+)?"
                     r"(?!\.?\w)")


def numbers_in(text: str) -> list[str]:
    return _NUMBER.findall(text)


def ungrounded_numbers(answer: str, tool_calls: Iterable[dict[str, Any]]) -> list[str]:
    """Numbers written in ``answer`` that no tool call backs."""
    values, texts = _sources(tool_calls)
    return [n for n in numbers_in(answer) if not _backed(n, values, texts)]


def _backed(written: str, values: list[float], texts: set[str]) -> bool:
    if written in texts:
        return True
    number = float(written.replace(",", ""))
    decimals = len(written.split(".")[1]) if "." in written else 0
    tolerance = 0.5 * 10 ** -decimals + 1e-9
    return any(math.isclose(v, number, rel_tol=1e-9) or abs(v - number) <= tolerance
               for v in values)


def _sources(tool_calls: Iterable[dict[str, Any]]) -> tuple[list[float], set[str]]:
    values: list[float] = []
    texts: set[str] = set()
    for call in tool_calls:
        _walk(call.get("arguments"), values, texts)
        _walk(call.get("result"), values, texts)
    return values, texts


def _walk(node: Any, values: list[float], texts: set[str]) -> None:
    if isinstance(node, bool) or node is None:
        return
    if isinstance(node, int | float):
        if math.isfinite(node):
            values.append(float(node))
    elif isinstance(node, str):
        for n in numbers_in(node):
            texts.add(n)
            values.append(float(n.replace(",", "")))
    elif isinstance(node, dict):
        for value in node.values():
            _walk(value, values, texts)
    elif isinstance(node, list | tuple):
        for value in node:
            _walk(value, values, texts)
