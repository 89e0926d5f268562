"""The offers page's query string, read with the offers API's own parameter names.

``/?gpu=H100&max_price=3&sort=-gpu_memory_gb&page=2`` means what
``GET /api/v2/providers/?gpu=H100&max_price=3…`` means, so a URL can be shared between
the page and the API. Empty fields are ignored; a bad value is an InvalidFilter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict

from common.errors import InvalidFilter

LIST_PARAMS = ("gpu", "provider", "region", "country", "continent", "vendor", "kind")
NUMBER_PARAMS = (
    "min_gpu_count", "max_gpu_count", "min_gpu_memory_gb", "min_total_gpu_memory_gb",
    "min_vcpus", "min_memory_gb", "min_disk_gb", "max_price", "max_price_per_gpu",
    "min_available",
)
FLAG_PARAMS = ("spot", "fractional")
DEFAULT_SORT = "price_per_hour"
PER_PAGE_CHOICES = (25, 50, 100, 200)
DEFAULT_PER_PAGE = 50
MAX_Q = 2000


@dataclass(frozen=True)
class OfferQuery:
    filters: dict[str, Any]  # API name -> value: lists, floats, bool, q (only those given)
    sort: str
    page: int
    per_page: int

    def url(self, **changes: Any) -> str:
        """This query's page URL with ``changes`` (None removes a name); defaults left out."""
        state: dict[str, Any] = {**self.filters, "sort": self.sort, "page": self.page,
                                 "per_page": self.per_page, **changes}
        defaults = {"sort": DEFAULT_SORT, "page": 1, "per_page": DEFAULT_PER_PAGE}
        pairs = [(k, _text(v)) for k, v in state.items()
                 if v is not None and v != [] and defaults.get(k) != v]
        flat = [(k, item) for k, v in pairs for item in (v if isinstance(v, list) else [v])]
        return "/?" + urlencode(flat) if flat else "/"


def offer_query_parse(query: QueryDict) -> OfferQuery:
    filters: dict[str, Any] = {}
    for name in LIST_PARAMS:
        values = [v.strip() for v in query.getlist(name) if v.strip()]
        if values:
            filters[name] = values
    for name in NUMBER_PARAMS:
        if query.get(name, "").strip():
            filters[name] = _number(name, query[name])
    for name in FLAG_PARAMS:
        flag = query.get(name, "").strip().lower()
        if flag:
            filters[name] = _flag(name, flag)
    q = query.get("q", "").strip()
    if q:
        filters["q"] = _q(q)
    return OfferQuery(filters, query.get("sort", "").strip() or DEFAULT_SORT,
                      _int("page", query.get("page"), 1, 1_000_000, 1),
                      _int("per_page", query.get("per_page"), 1, 500, DEFAULT_PER_PAGE))


def _number(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InvalidFilter(f"{name} must be a number, not '{raw}'") from None
    if not value >= 0 or value == float("inf"):
        raise InvalidFilter(f"{name} must be a finite number ≥ 0, not '{raw}'")
    return value


def _flag(name: str, raw: str) -> bool:
    if raw in ("true", "1", "yes"):
        return True
    if raw in ("false", "0", "no"):
        return False
    raise InvalidFilter(f"{name} must be true or false, not '{raw}'")


def _q(raw: str) -> str:
    if len(raw) > MAX_Q:
        raise InvalidFilter(f"q is longer than {MAX_Q} characters")
    return raw


def _int(name: str, raw: str | None, low: int, high: int, default: int) -> int:
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidFilter(f"{name} must be a whole number, not '{raw}'") from None
    if not low <= value <= high:
        raise InvalidFilter(f"{name} must be between {low} and {high}")
    return value


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
