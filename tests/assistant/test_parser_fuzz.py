"""The parser never fails and always gives a query the market accepts (property test)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.parser import MAX_REQUEST_CHARS, request_parse
from market.query.language import query_parse

WORDS = st.sampled_from([
    "8x", "H100", "a100", "80GB", "under", "$2/h", "1,5", "€", "spot", "on-demand", "llama",
    "3.1", "70b", "mixtral", "8x7b", "tokens", "2k", "1.000", "users", "in", "Europe", "US",
    "de", "aws", "lambda", "us-east-1", "cheapest", "per", "gpu", "hour", "qlora", "epochs",
    "examples", "of", "512", "ctx", "req/s", "images", "hours", "audio", "budget", "total",
    "x", "4090s", "tpu", "v5e", "RAM", "VRAM", "most", "0", "-3", "1e9", "٣", "²", "",
])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(WORDS, max_size=30).map(" ".join))
def test_word_salad_parses_into_a_valid_query(text: str) -> None:
    parsed = request_parse(text)
    query_parse(parsed.query)
    assert 0.0 <= parsed.confidence <= 1.0


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=400))
def test_any_text_parses_into_a_valid_query(text: str) -> None:
    query_parse(request_parse(text).query)


def test_long_text_is_cut_not_refused() -> None:
    parsed = request_parse("cheapest H100 " + "very " * 2000)
    assert parsed.filters["gpu"] == ["H100"]
    assert len("".join(parsed.unparsed)) <= MAX_REQUEST_CHARS
