"""Every number in an answer must be backed by a tool call."""

from __future__ import annotations

import pytest

from assistant.grounding import numbers_in, ungrounded_numbers
from assistant.tools import tool_run

CALLS = [{"name": "offers_search", "arguments": {"q": "gpu in [H100] price_per_hour<=10"},
          "result": {"total": 1234, "items": [{"id": 77, "price_per_hour": 2.4899,
                                               "fetched_at": "2026-12-01 10:00:00+00:00"}],
                     "warnings": ["no offers left after 'gpu_count>=8' (12 offers matched)"]}}]


@pytest.mark.parametrize(("answer", "ungrounded"), [
    ("Cheapest of 1,234 offers: #77 at $2.49/h.", []),
    ("#77 fetched 2026-12-01 10:00:00+00:00, under your cap of $10/h", []),
    ("no offers left after 'gpu_count>=8' (12 offers matched)", []),
    ("8× H100-SXM with 80GB each at $2.49/h", []),
    ("#77 at $2.39/h", ["2.39"]),
    ("It does 4,100 tokens/s", ["4,100"]),
    ("#78 is cheaper", ["78"]),
])
def test_numbers_must_come_from_tool_calls(answer: str, ungrounded: list[str]) -> None:
    assert ungrounded_numbers(answer, CALLS) == ungrounded


def test_names_with_digits_are_not_numbers() -> None:
    assert numbers_in("H100 A100-80GB RTX4090 8x 3.5B") == []


@pytest.mark.parametrize(("name", "arguments", "needle"), [
    ("nope", {}, "unknown tool"),
    ("offers_search", [], "JSON object"),
    ("offers_search", {"q": "gpu_memory_gb>>40"}, "operator"),
    ("estimate", {"workload": {"task": "inference"}}, "gpu"),
    ("price_history", {"offer_id": "x"}, "offer_id"),
    ("parse_request", {"text": ""}, "empty"),
])
def test_a_bad_tool_call_is_an_error_result_not_an_exception(name: str, arguments: object,
                                                              needle: str, db: None) -> None:
    result = tool_run(name, arguments)  # type: ignore[arg-type]
    assert needle in result["error"]
