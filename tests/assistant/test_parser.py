"""The request parser on requests as users type them (tests/assistant/requests_corpus.py)."""

from __future__ import annotations

import pytest

from assistant.parser import FILTER_FIELDS, WORKLOAD_FIELDS, request_parse
from assistant.parser.accuracy import FIELDS, same, score
from assistant.parser.text import damerau, number_value, typo_fix
from market.query.language import query_parse
from tests.assistant.requests_corpus import CORPUS, HELD_OUT

MIN_ACCURACY = 0.90


def test_the_corpus_is_large_enough() -> None:
    assert len(CORPUS) + len(HELD_OUT) >= 80
    assert len({text for text, _ in CORPUS + HELD_OUT}) == len(CORPUS) + len(HELD_OUT)


@pytest.mark.parametrize(("text", "expected"), CORPUS, ids=[t[:40] for t, _ in CORPUS])
def test_corpus_request_parses_as_expected(text: str, expected: dict) -> None:
    parsed = request_parse(text)
    got = {**parsed.workload, **parsed.filters}
    wrong = {name: (got[name], expected.get(name)) for name in FIELDS
             if not same(got[name], expected.get(name))}
    assert not wrong, f"{text!r}: (got, expected) {wrong}"


@pytest.mark.parametrize("cases", [CORPUS, HELD_OUT], ids=["corpus", "held-out"])
def test_field_accuracy_is_above_90_percent(cases: list) -> None:
    result = score(cases)
    assert result.field_accuracy > MIN_ACCURACY
    assert result.set_field_accuracy > MIN_ACCURACY, result.misses


@pytest.mark.parametrize(("text", "_"), CORPUS + HELD_OUT)
def test_every_query_runs_in_the_market_language(text: str, _: dict) -> None:
    parsed = request_parse(text)
    conditions = query_parse(parsed.query)
    assert len(conditions) == sum(1 for k, v in parsed.filters.items()
                                  if v not in (None, []) and k != "sort")


def test_the_shape_is_the_contract() -> None:
    body = request_parse("serve Llama 3 70B for 20 users under $10/h in Europe").as_dict()
    assert set(body) == {"workload", "filters", "query", "unparsed", "confidence"}
    assert set(body["workload"]) == set(WORKLOAD_FIELDS)
    assert set(body["filters"]) == set(FILTER_FIELDS)
    assert body["query"] == "price_per_hour<=10 continent in [EU]"
    assert 0.9 <= body["confidence"] <= 1.0


def test_unknown_stays_null_with_zero_confidence() -> None:
    parsed = request_parse("tell me a joke about penguins")
    assert all(v is None for v in (*parsed.workload.values(), *parsed.filters.values()))
    assert parsed.confidence == 0.0
    assert parsed.unparsed == ["tell", "joke", "penguins"]


def test_unread_words_are_listed() -> None:
    parsed = request_parse("h100 < 2.5 $/h, min 16 vCPUs")
    assert parsed.unparsed == ["16 vcpus"]
    assert 0 < parsed.confidence < 1


def test_prices_in_other_currencies_are_left_unparsed_not_converted() -> None:
    parsed = request_parse("EU-only H100 spot under €2/h")
    assert parsed.filters["max_price_per_hour"] is None
    assert "€2/h" in parsed.unparsed


def test_the_parse_is_deterministic() -> None:
    text = "fine-tune mistral 7b with qlora on 50k examples of 512 tokens, 3 epochs"
    first = request_parse(text).as_dict()
    assert first == request_parse("".join(list(text))).as_dict()
    assert first["workload"]["tokens"] == 3 * 50_000 * 512


@pytest.mark.parametrize(("raw", "count", "value"), [
    ("1,5", False, 1.5), ("2,20", False, 2.2), ("1,000", False, 1000),
    ("10,000", True, 10000), ("1.000", True, 1000), ("1.000", False, 1.0),
    ("1.000.000", False, 1e6), ("1 000", True, 1000), ("1'000", True, 1000),
    ("2k", True, 2000), ("2 million", True, 2e6), ("1.5b", False, 1.5e9),
    ("3 Mio", True, 3e6), ("0.9", False, 0.9),
])
def test_numbers_in_several_languages_styles(raw: str, count: bool, value: float) -> None:
    assert number_value(raw.lower(), count=count) == pytest.approx(value)


@pytest.mark.parametrize(("word", "fixed"), [
    ("cheepest", "cheapest"), ("germny", "germany"), ("infrence", "inference"),
    ("finetuen", "finetune"), ("server", "server"), ("your", "your"), ("model", "model"),
])
def test_typos_within_reason(word: str, fixed: str) -> None:
    vocabulary = frozenset({"cheapest", "germany", "inference", "finetune", "serve", "hour",
                            "modal"})
    assert typo_fix(word, vocabulary) == fixed


def test_damerau_counts_a_transposition_as_one_edit() -> None:
    assert damerau("finetuen", "finetune", 2) == 1
    assert damerau("lamma", "llama", 2) == 2
