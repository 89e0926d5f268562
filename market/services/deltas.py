"""Offer deltas: what a sync added, repriced or removed, as plain values for real-time push.

A delta is built from the stored offer after the diff is written (so an added offer has its
id); for a removed offer the row it had. Changes of other fields are not deltas: the push sends
prices. Besides the identity and the prices, a delta carries the fields the
filter language can test, so a WebSocket subscription takes the same filters as a query.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from market.models import Offer

DeltaKind = Literal["added", "changed", "removed"]


@dataclass(frozen=True)
class OfferDelta:
    kind: DeltaKind
    offer_id: int
    provider: str
    instance_type: str
    region: str
    spot: bool
    gpu_name: str | None
    gpu_count: float
    old_price_per_hour: float | None  # None when added
    new_price_per_hour: float | None  # None when removed
    price_per_gpu_hour: float  # the new one; the last one when removed
    gpu_raw_name: str = ""
    gpu_vendor: str | None = None
    gpu_kind: str | None = None
    gpu_memory_gb: float | None = None
    vcpus: float | None = None
    memory_gb: float | None = None
    disk_gb: float | None = None
    country: str | None = None
    continent: str | None = None

    def __post_init__(self) -> None:
        if (self.old_price_per_hour is None) != (self.kind == "added"):
            raise ValueError(f"a {self.kind} delta has old_price_per_hour only unless added")
        if (self.new_price_per_hour is None) != (self.kind == "removed"):
            raise ValueError(f"a {self.kind} delta has new_price_per_hour only unless removed")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def offer_deltas(*, added: list[Offer], repriced: list[Offer], removed: list[Offer],
                 old_prices: dict[int, float]) -> list[OfferDelta]:
    """Deltas in the order added, changed, removed; ``old_prices`` maps offer id → price."""
    return ([_delta(o, "added", None, o.price_per_hour) for o in added]
            + [_delta(o, "changed", old_prices[o.pk], o.price_per_hour) for o in repriced]
            + [_delta(o, "removed", o.price_per_hour, None) for o in removed])


def _delta(offer: Offer, kind: DeltaKind, old: float | None, new: float | None) -> OfferDelta:
    return OfferDelta(
        kind=kind, offer_id=offer.pk, provider=offer.provider_id,
        instance_type=offer.instance_type, region=offer.region, spot=offer.spot,
        gpu_name=offer.gpu_name, gpu_count=offer.gpu_count,
        old_price_per_hour=old, new_price_per_hour=new,
        price_per_gpu_hour=offer.price_per_gpu_hour, gpu_raw_name=offer.gpu_raw_name,
        gpu_vendor=offer.gpu_vendor, gpu_kind=offer.gpu_kind, gpu_memory_gb=offer.gpu_memory_gb,
        vcpus=offer.vcpus, memory_gb=offer.memory_gb, disk_gb=offer.disk_gb,
        country=offer.country, continent=offer.continent,
    )
