"""Offer deltas: what a sync added, repriced or removed, as plain values for real-time push.

A delta is built from the stored offer after the diff is written (so an added offer has its
id); for a removed offer the row it had. Changes of other fields are not deltas: the push sends
prices. Besides the kind, the offer id and the old and new prices, a delta carries the offer's
``market.fields.DELTA_FIELDS`` (every filterable field, in the API's shape, ``price_per_hour``
being the new price or, when removed, the last one), so the one filter evaluator
(``market.query.filters``) tests deltas as it tests offers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from market.fields import DELTA_FIELDS, STORED_FIELDS, offer_row
from market.models import Offer

DeltaKind = Literal["added", "changed", "removed"]


@dataclass(frozen=True)
class OfferDelta:
    kind: DeltaKind
    offer_id: int
    old_price_per_hour: float | None  # None when added
    new_price_per_hour: float | None  # None when removed
    offer: Mapping[str, Any] = field(default_factory=dict)  # the offer (API shape), new prices

    def __post_init__(self) -> None:
        if (self.old_price_per_hour is None) != (self.kind == "added"):
            raise ValueError(f"a {self.kind} delta has old_price_per_hour only unless added")
        if (self.new_price_per_hour is None) != (self.kind == "removed"):
            raise ValueError(f"a {self.kind} delta has new_price_per_hour only unless removed")

    def as_dict(self) -> dict[str, Any]:
        """The delta as it goes on the channel layer (flat, JSON-ready)."""
        head = {"kind": self.kind, "offer_id": self.offer_id,
                "old_price_per_hour": self.old_price_per_hour,
                "new_price_per_hour": self.new_price_per_hour}
        return {**head, **{name: self.offer.get(name) for name in DELTA_FIELDS}}


def offer_deltas(*, added: list[Offer], repriced: list[Offer], removed: list[Offer],
                 old_prices: dict[int, float]) -> list[OfferDelta]:
    """Deltas in the order added, changed, removed; ``old_prices`` maps offer id → price."""
    return ([_delta(o, "added", None, o.price_per_hour) for o in added]
            + [_delta(o, "changed", old_prices[o.pk], o.price_per_hour) for o in repriced]
            + [_delta(o, "removed", o.price_per_hour, None) for o in removed])


def _delta(offer: Offer, kind: DeltaKind, old: float | None, new: float | None) -> OfferDelta:
    stored = {name: getattr(offer, name) for name in STORED_FIELDS if name != "provider"}
    row = offer_row({**stored, "provider_id": offer.provider_id})
    return OfferDelta(kind=kind, offer_id=offer.pk, old_price_per_hour=old,
                      new_price_per_hour=new, offer=row)
