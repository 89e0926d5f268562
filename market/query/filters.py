"""The one filter evaluator: everything that tests offers against filters goes through here.

    offer_filter = filter_compile({"q": "gpu=H100 price<3", "provider": ["aws"]})
    offer_filter.select(offers)   # the offer dicts that match, in their order
    offer_filter.matches(offer)   # one offer dict
    offer_filter.mask(index)      # a boolean mask over an OfferIndex

Filters are the names of ``GET /api/v2/providers/`` (``market.fields.FILTER_PARAMS``) plus
``q`` (the filter language); ``filter_compile`` raises ``InvalidFilter`` naming a bad one.
Queries (the API, the CLI, saved searches, recommend), WebSocket subscriptions and alerts all
compile their filters here, so a filter means the same everywhere. Offer dicts are in the
API's shape (``market.fields``: an offer row, or a sync delta, whose ``price_per_hour`` is
its new price). The rules, once, in ``market.query.masks``: a numeric field an offer lacks
(or holds None) never matches; text compares without case; ``gpu`` matches by family
(``A100`` = 40 and 80 GB) or by the raw name the source wrote. Fractional GPUs (a MIG
slice, a vGPU: ``gpu_fraction`` < 1) are left out unless the filter says ``fractional=true``
or tests ``gpu_fraction`` itself.

Cost: ``mask`` over the whole index is tens of microseconds; ``select`` builds columns only
for the fields the filter tests, so filtering a batch of 500 deltas is well under a
millisecond. To test one batch against many filters, build ``index_build(offers,
fields=...)`` once and call ``mask`` per filter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from market.query.conditions import Condition
from market.query.index import OfferIndex, index_build
from market.query.masks import condition_mask, fractional_default, unknown_gpus, whole_gpus
from market.query.params import conditions_from_params, filters_validate

__all__ = ["OfferFilter", "filter_compile", "filters_validate"]


@dataclass(frozen=True)
class OfferFilter:
    """Compiled filters: every condition must hold. An empty filter matches every offer of
    whole GPUs (fractional GPUs only when the filter lets them in)."""

    conditions: tuple[Condition, ...] = ()

    @property
    def labels(self) -> list[str]:
        """Each condition as the user wrote it (``gpu=H100``, ``max_price=3``)."""
        return [c.label for c in self.conditions]

    @property
    def fields(self) -> frozenset[str]:
        """The offer fields the conditions test (and ``fractional``, which the default tests)."""
        names = {c.field for c in self.conditions} | {"fractional"}
        return frozenset(names | ({"gpu_raw_name"} if "gpu_name" in names else set()))

    @property
    def whole_only(self) -> bool:
        """True when fractional GPUs are left out (the filter does not let them in)."""
        return fractional_default(frozenset(c.field for c in self.conditions))

    @property
    def unknown_gpus(self) -> list[str]:
        """GPU names in the filter that are no known GPU (they match raw names only)."""
        names = [v for c in self.conditions if c.field == "gpu_name"
                 and isinstance(c.value, tuple) for v in c.value]
        return unknown_gpus(names)

    def mask(self, index: OfferIndex) -> np.ndarray:
        """True where the offer at that position of ``index`` meets every condition."""
        mask = whole_gpus(index) if self.whole_only else np.ones(len(index), dtype=bool)
        for condition in self.conditions:
            mask &= condition_mask(index, condition)
        return mask

    def select(self, offers: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        """The offers that meet every condition, in their order."""
        index = index_build(offers, fields=self.fields)
        return [offers[i] for i in np.flatnonzero(self.mask(index))]

    def matches(self, offer: Mapping[str, Any]) -> bool:
        return bool(self.select([offer]))


def filter_compile(params: Mapping[str, Any]) -> OfferFilter:
    """Filters (``{"gpu": ["H100"], "max_price": 3, "q": "spot=false"}``) → an OfferFilter.

    Parameters first, in the order given, then the conditions of ``q``. ``sort``, ``page``
    and ``per_page`` are ignored here; any other unknown name is an InvalidFilter.
    """
    return OfferFilter(tuple(conditions_from_params(params)))
