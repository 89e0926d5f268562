"""The q= language: what parses into which conditions, and errors that name the token."""

from __future__ import annotations

import pytest

from common.errors import InvalidFilter
from market.query.language import query_parse


@pytest.mark.parametrize(("q", "expected"), [
    ("gpu_memory_gb>=40", [("gpu_memory_gb", ">=", 40.0)]),
    ("gpu_ram>=40 num_gpus=2", [("gpu_memory_gb", ">=", 40.0), ("gpu_count", "=", 2.0)]),
    ("price_per_hour<3", [("price_per_hour", "<", 3.0)]),
    ("dph <= 1.5", [("price_per_hour", "<=", 1.5)]),
    ("gpu_count==8", [("gpu_count", "=", 8.0)]),
    ("vcpus!=4", [("vcpus", "!=", 4.0)]),
    ("provider in [aws,gcp]", [("provider", "in", ("aws", "gcp"))]),
    ("provider in [aws, 'gcp']", [("provider", "in", ("aws", "gcp"))]),
    ("provider notin [aws]", [("provider", "notin", ("aws",))]),
    ("provider not in [aws]", [("provider", "notin", ("aws",))]),
    ("gpu=H100", [("gpu_name", "=", ("H100",))]),
    ("spot=false", [("spot", "in", False)]),
    ("spot!=true", [("spot", "notin", True)]),
    ("country=DE continent=EU", [("country", "=", ("DE",)), ("continent", "=", ("EU",))]),
    ("geolocation in [US,Canada]", [("country", "in", ("US", "CA"))]),
    ("  ", []),
])
def test_parses(q: str, expected: list) -> None:
    assert [(c.field, c.op, c.value) for c in query_parse(q)] == expected


def test_labels_keep_what_the_user_wrote() -> None:
    assert [c.label for c in query_parse("gpu_ram>=40  spot=false")] == ["gpu_ram>=40",
                                                                         "spot=false"]


@pytest.mark.parametrize(("q", "token"), [
    ("gpu_memory_gb>>3", "gpu_memory_gb>>3"),
    ("gpu_memory_gb=>3", "gpu_memory_gb=>3"),
    ("colour=blue", "colour"),
    ("gpu_count>=two", "two"),
    ("price<1 ???", "???"),
    ("provider in aws", "provider in aws"),
    ("spot=perhaps", "perhaps"),
    ("region<us", "region<us"),
    ("gpu_count>=", "gpu_count>="),
    ("price<nan", "nan"),
    ("x" * 2001, "2000"),
])
def test_errors_name_the_bad_token(q: str, token: str) -> None:
    with pytest.raises(InvalidFilter) as error:
        query_parse(q)
    assert token in error.value.detail


def test_an_empty_store_says_how_to_fill_it(db) -> None:
    from market.query.filters import filter_compile
    from market.query.search import EMPTY_STORE, offers_search

    page = offers_search(offer_filter=filter_compile({"q": "gpu=H100"}))
    assert page.total == 0 and page.warnings[-1] == EMPTY_STORE
