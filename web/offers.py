"""What the offers page shows: one page of offers, the columns, paging, facets, the explainer.

Reads through the market's selectors (the same query engine as ``GET /api/v2/providers/``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import QueryDict

from common.errors import InvalidFilter
from market import selectors
from market.query.index import offer_index
from web.query import DEFAULT_SORT, OfferQuery, offer_query_parse
from web.templatetags.web_format import usd

# (sort key or "", header, numeric)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("", "GPU", False),
    ("gpu_count", "GPUs", True),
    ("gpu_memory_gb", "VRAM / GPU", True),
    ("", "Provider", False),
    ("", "Instance", False),
    ("", "Region", False),
    ("vcpus", "vCPUs", True),
    ("memory_gb", "RAM", True),
    ("price_per_hour", "$ / hour", True),
    ("price_per_gpu_hour", "$ / GPU-hour", True),
    ("", "Available", True),
    ("", "Updated", False),
    ("", "Source", False),
)
CONTINENTS = (("NA", "North America"), ("SA", "South America"), ("EU", "Europe"),
              ("AS", "Asia"), ("AF", "Africa"), ("OC", "Oceania"))


@dataclass
class Column:
    key: str
    label: str
    numeric: bool
    href: str = ""
    aria_sort: str = ""


@dataclass
class Suggestion:
    text: str
    offers: int
    href: str = ""


@dataclass
class OffersView:
    query: OfferQuery
    items: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    warnings: list[str] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    error: str = ""
    headline: str = ""
    columns: list[Column] = field(default_factory=list)
    pages: list[int | None] = field(default_factory=list)
    page_count: int = 1

    @property
    def first_shown(self) -> int:
        return (self.query.page - 1) * self.query.per_page + 1 if self.items else 0

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.items) - 1 if self.items else 0


def offers_view(*, query: QueryDict) -> OffersView:
    try:
        parsed = offer_query_parse(query)
    except InvalidFilter as exc:
        return _failed(str(exc))
    view = OffersView(parsed, columns=columns_for(parsed))
    try:
        page = selectors.offers_page(params=parsed.filters, sort=parsed.sort, page=parsed.page,
                                     per_page=parsed.per_page)
    except InvalidFilter as exc:
        view.error = str(exc)
        return view
    view.items, view.total, view.warnings = page.items, page.total, page.warnings
    view.suggestions = [_suggestion(parsed, r) for r in page.relaxations]
    view.headline = empty_headline(parsed, page.relaxations) if not page.items else ""
    view.page_count = max(1, -(-page.total // parsed.per_page))
    view.pages = pages_around(parsed.page, view.page_count)
    return view


def _failed(message: str) -> OffersView:
    fallback = OfferQuery({}, DEFAULT_SORT, 1, 50)
    return OffersView(fallback, error=message, columns=columns_for(fallback))


def columns_for(query: OfferQuery) -> list[Column]:
    current, descending = query.sort.lstrip("-"), query.sort.startswith("-")
    columns = []
    for key, label, numeric in COLUMNS:
        column = Column(key, label, numeric)
        if key:
            ascending_next = not (key == current and not descending)
            column.href = query.url(sort=key if ascending_next else f"-{key}", page=1)
            if key == current:
                column.aria_sort = "descending" if descending else "ascending"
        columns.append(column)
    return columns


def pages_around(page: int, count: int, *, spread: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and ``spread`` either side of ``page``; None = gap."""
    wanted = {1, count, *range(max(1, page - spread), min(count, page + spread) + 1)}
    shown: list[int | None] = []
    for number in sorted(wanted):
        if shown and shown[-1] is not None and number - shown[-1] > 1:  # type: ignore[operator]
            shown.append(None)
        shown.append(number)
    return shown


def _suggestion(query: OfferQuery, relaxation: Any) -> Suggestion:
    text = f"{relaxation.suggestion}"
    suggestion = Suggestion(text, relaxation.offers)
    if relaxation.param == "q" or relaxation.param not in query.filters:
        return suggestion
    if relaxation.suggestion.startswith("drop "):
        suggestion.href = query.url(**{relaxation.param: None}, page=1)
        return suggestion
    name, _, value = relaxation.suggestion.partition("=")
    if name == relaxation.param:
        new = value.split(",") if isinstance(query.filters.get(name), list) else value
        suggestion.href = query.url(**{name: new}, page=1)
    return suggestion


PRICE_PARAMS = {"max_price": ("max price", "per hour"),
                "max_price_per_gpu": ("max price per GPU", "per GPU-hour")}


def empty_headline(query: OfferQuery, relaxations: list[Any]) -> str:
    """One sentence for an empty answer: "No offers match: max price $1.00 is below the
    cheapest H100 at $1.21 per hour" when a price bound is the nearest fix."""
    nearest = relaxations[0] if relaxations else None
    if nearest is None or nearest.param not in PRICE_PARAMS or "=" not in nearest.suggestion:
        return "No offers match"
    what, unit = PRICE_PARAMS[nearest.param]
    cheapest = float(nearest.suggestion.partition("=")[2])
    gpus = query.filters.get("gpu") or []
    other = len([k for k in query.filters if k not in (nearest.param, "gpu")])
    subject = f"{' or '.join(gpus)} offer" if gpus else "offer"
    return (f"No offers match: {what} {usd(query.filters[nearest.param])} is below the cheapest "
            f"{subject}{' meeting your other filters' if other else ''} at {usd(cheapest)} {unit}")


@dataclass(frozen=True)
class Facets:
    providers: list[str]
    gpus: list[str]
    offers: int
    last_sync: datetime | None
    continents: tuple[tuple[str, str], ...] = CONTINENTS


def offers_facets() -> Facets:
    """The values the filter fields offer: providers and GPU names that have offers now."""
    index = offer_index()
    providers = sorted(v for v in index.text["provider"].display if v)
    gpus = sorted(v for v in index.text["gpu_name"].display if v)
    return Facets(providers, gpus, len(index), selectors.last_success_at())
