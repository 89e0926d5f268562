"""Dashboard formatting and URL building, by hand-worked values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.http import QueryDict

from common.errors import InvalidFilter
from web.charts import nice_ceiling
from web.offers import pages_around
from web.query import offer_query_parse
from web.templatetags.web_format import ago, gpu_share, num, plain, source_short, usd

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("value", "text"), [
    (1.1, "$1.10"), (0.125, "$0.125"), (0.0256, "$0.0256"), (1234.5, "$1,234.50"),
    (None, "–"), (98.0, "$98.00"),
])
def test_usd(value: float | None, text: str) -> None:
    assert usd(value) == text


@pytest.mark.parametrize(("seconds", "text"), [
    (5, "just now"), (180, "3 min ago"), (3599, "59 min ago"), (7200, "2 h ago"),
    (3 * 86400, "3 d ago"),
])
def test_ago(seconds: int, text: str) -> None:
    assert ago(NOW - timedelta(seconds=seconds), NOW) == text


def test_num_and_source() -> None:
    assert (num(8.0), num(7.5), num(None)) == ("8", "7.5", "–")
    assert source_short("https://raw.githubusercontent.com/x/catalogs/v7/aws/vms.csv") == \
        "raw.githubusercontent.com · aws/vms.csv"
    assert source_short("/data/catalogs/skypilot/lambda/vms.csv") == "lambda/vms.csv"


def test_query_uses_the_api_names_and_drops_empty_fields() -> None:
    parsed = offer_query_parse(QueryDict("gpu=H100&gpu=&provider=aws,lambda&max_price=3"
                                         "&spot=false&q=+&sort=&page=2"))
    assert parsed.filters == {"gpu": ["H100"], "provider": ["aws,lambda"], "max_price": 3.0,
                              "spot": False}
    assert parsed.url() == "/?gpu=H100&provider=aws%2Clambda&max_price=3&spot=false&page=2"
    assert parsed.url(page=1, max_price=None) == "/?gpu=H100&provider=aws%2Clambda&spot=false"


@pytest.mark.parametrize(("fraction", "text"), [
    (0.125, "1/8 GPU"), (0.25, "1/4 GPU"), (0.5, "1/2 GPU"), (0.05, "1/20 GPU"),
    (0.37, "0.37 GPU"), (1, ""), (1.0, ""), (None, ""), (2, ""),
])
def test_gpu_share(fraction: float | None, text: str) -> None:
    assert gpu_share(fraction) == text


def test_plain_input_values() -> None:
    assert (plain(3.0), plain(1.5), plain(None), plain(0.0)) == ("3", "1.5", "", "0")


def test_query_reads_fractional_and_min_available_with_the_api_names() -> None:
    parsed = offer_query_parse(QueryDict("fractional=true&min_available=2&gpu=MI25"))
    assert parsed.filters == {"gpu": ["MI25"], "min_available": 2.0, "fractional": True}
    assert parsed.url() == "/?gpu=MI25&min_available=2&fractional=true"
    with pytest.raises(InvalidFilter, match="fractional must be true or false"):
        offer_query_parse(QueryDict("fractional=some"))


@pytest.mark.parametrize("query", ["max_price=-1", "max_price=inf", "per_page=501",
                                   "page=x", "spot=2", "min_available=-1"])
def test_query_refuses_bad_values(query: str) -> None:
    with pytest.raises(InvalidFilter):
        offer_query_parse(QueryDict(query))


def test_pages_and_axis() -> None:
    assert pages_around(1, 1) == [1]
    assert pages_around(6, 20) == [1, None, 4, 5, 6, 7, 8, None, 20]
    assert pages_around(2, 5) == [1, 2, 3, 4, 5]
    assert [nice_ceiling(v) for v in (0.8, 3.2, 14.1, 20.0)] == [1.0, 5.0, 20.0, 20.0]
