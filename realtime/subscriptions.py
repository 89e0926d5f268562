"""A client's subscription message → an OfferFilter, with the filters of
``GET /api/v2/providers/`` (compiled by the one evaluator, ``market.query.filters``).

    {"subscribe": {"q": "gpu=H100 price<3", "provider": ["aws"], "max_price": 4}}

``{"subscribe": {}}`` takes every delta again; ``"snapshot": true`` beside ``subscribe``
asks for the matching offers first. Errors are InvalidFilter naming what is wrong.
"""

from __future__ import annotations

from typing import Any

from common.errors import InvalidFilter
from market.fields import PARAMS
from market.query.filters import OfferFilter, filter_compile

SUBSCRIBE_EXAMPLE = {"subscribe": {"q": "gpu=H100 price<3", "provider": ["aws", "vast"]}}
_NOT_FILTERS = ("sort", "page", "per_page")
_Scalar = str | int | float | bool
MAX_Q_CHARS = 2000


def subscription_filter(message: Any, *, max_values: int = 64) -> OfferFilter:
    """The filter of ``{"subscribe": {filters}}`` (``"snapshot": true`` may follow);
    InvalidFilter if it is anything else."""
    if not isinstance(message, dict) or "subscribe" not in message or \
            set(message) - {"subscribe", "snapshot"}:
        raise InvalidFilter('send {"subscribe": {filters}} (and "snapshot": true for the '
                            "matching offers first), with the filters of "
                            f"GET /api/v2/providers/: q, {', '.join(PARAMS)}")
    if not isinstance(message.get("snapshot", False), bool):
        raise InvalidFilter("'snapshot' takes true or false")
    filters = message["subscribe"]
    if not isinstance(filters, dict):
        raise InvalidFilter("'subscribe' takes an object of filters, e.g. "
                            '{"q": "gpu=H100 price<3"}')
    values = sum(len(v) if isinstance(v, list) else 1 for v in filters.values())
    if values > max_values:  # realtime.limits: a subscription is tens of values
        raise InvalidFilter(f"a subscription holds at most {max_values} filter values "
                            f"(this one {values})", code="too_many_values", limit=max_values)
    for name, value in filters.items():
        _check(str(name), value)
    return filter_compile(filters)


def _check(name: str, value: Any) -> None:
    if name in _NOT_FILTERS:
        raise InvalidFilter(f"'{name}' does not apply to a subscription (filters only)")
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(v, _Scalar) or v is None for v in items):
        raise InvalidFilter(f"filter '{name}' takes a value or a list of values")
    if any(isinstance(v, str) and len(v) > MAX_Q_CHARS for v in items):
        raise InvalidFilter(f"filter '{name}': at most {MAX_Q_CHARS} characters")
