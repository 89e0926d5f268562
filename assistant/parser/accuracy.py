"""Field accuracy of the parser over a list of (request, expected fields) cases.

Every case is scored on every workload and filter field: a field the case leaves out is
expected to stay None, so an invented value counts as an error like a missed one.
Numbers match within 0.1 %, lists as sets, strings exactly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.parser.parse import request_parse
from assistant.parser.result import FILTER_FIELDS, WORKLOAD_FIELDS

FIELDS = WORKLOAD_FIELDS + FILTER_FIELDS


@dataclass
class Score:
    cases: int = 0
    exact_cases: int = 0
    checked: int = 0  # fields checked (every field of every case)
    correct: int = 0
    expected_set: int = 0  # fields the cases give a value
    expected_set_correct: int = 0
    spurious: int = 0  # fields set where the case expects None
    per_field: dict[str, list[int]] = field(default_factory=dict)  # name -> [right, set]
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    @property
    def field_accuracy(self) -> float:
        return self.correct / self.checked if self.checked else 0.0

    @property
    def set_field_accuracy(self) -> float:
        return self.expected_set_correct / self.expected_set if self.expected_set else 0.0


def same(got: Any, want: Any) -> bool:
    if want is None or got is None:
        return got is None and want is None
    if isinstance(want, bool) or isinstance(got, bool):
        return got is want
    if isinstance(want, int | float) and isinstance(got, int | float):
        return math.isclose(float(got), float(want), rel_tol=1e-3)
    if isinstance(want, list) and isinstance(got, list):
        return sorted(map(str, got)) == sorted(map(str, want))
    return bool(got == want)


def score(cases: Iterable[tuple[str, Mapping[str, Any]]]) -> Score:
    result = Score()
    for text, expected in cases:
        parsed = request_parse(text)
        got = {**parsed.workload, **parsed.filters}
        _score_case(result, text, got, expected)
    return result


def _score_case(result: Score, text: str, got: Mapping[str, Any],
                expected: Mapping[str, Any]) -> None:
    unknown = set(expected) - set(FIELDS)
    if unknown:
        raise ValueError(f"case {text!r} names unknown fields {sorted(unknown)}")
    result.cases += 1
    all_right = True
    for name in FIELDS:
        want, have = expected.get(name), got.get(name)
        right = same(have, want)
        counts = result.per_field.setdefault(name, [0, 0])
        result.checked += 1
        result.correct += right
        if want is not None:
            counts[1] += 1
            counts[0] += right
            result.expected_set += 1
            result.expected_set_correct += right
        elif have is not None:
            result.spurious += 1
        if not right:
            all_right = False
            result.misses.append((text, name, want, have))
    result.exact_cases += all_right
