"""Raw offers → one offer shape: canonical GPU, location, per-GPU price, zones collapsed.

Rows that differ only by zone collapse into one offer per (instance type, region, spot) at
the lowest price among its zones, keeping the zones. A GPU name nobody knows keeps its offer
(``gpu_name`` None, the raw name kept) and is counted, never dropped in silence.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, replace

from market.normalize.geo import region_location
from market.normalize.gpu_names import gpu_identify
from market.offer import NormalizedOffer, OfferKey, RawOffer

log = logging.getLogger(__name__)


@dataclass
class NormalizedOffers:
    offers: dict[OfferKey, NormalizedOffer] = field(default_factory=dict)
    unknown_gpus: Counter[str] = field(default_factory=Counter)


def offers_normalized(*, provider: str, raw_offers: list[RawOffer]) -> NormalizedOffers:
    result = NormalizedOffers()
    for raw in sorted(raw_offers, key=lambda r: r.price_usd_per_hour):
        key = (raw.instance_type, raw.region, raw.spot)
        if key in result.offers:
            result.offers[key] = _with_zone(result.offers[key], raw.zone)
            continue
        offer = offer_normalized(provider, raw)
        if offer.gpu_name is None:
            result.unknown_gpus[raw.gpu_raw_name] += 1
        result.offers[key] = offer
    for name, rows in result.unknown_gpus.items():
        log.warning("%s: unknown GPU name %r in %d offers", provider, name, rows)
    return result


def _with_zone(offer: NormalizedOffer, zone: str | None) -> NormalizedOffer:
    if not zone or zone in offer.zones:
        return offer
    return replace(offer, zones=tuple(sorted([*offer.zones, zone])))


def offer_normalized(provider: str, raw: RawOffer) -> NormalizedOffer:
    """One raw row of ``provider`` in the shared shape (its zone as its only zone)."""
    hint = f"{raw.instance_type} {raw.gpu_detail}".strip()
    whole_gb = raw.gpu_memory_gb / raw.gpu_fraction if raw.gpu_memory_gb else None
    gpu = gpu_identify(raw.gpu_raw_name, memory_gb=whole_gb, hint=hint)
    location = region_location(provider, raw.region)
    return NormalizedOffer(
        provider=provider, instance_type=raw.instance_type, region=raw.region, spot=raw.spot,
        zones=(raw.zone,) if raw.zone else (), country=location.country,
        continent=location.continent, gpu_name=gpu.name if gpu else None,
        gpu_raw_name=raw.gpu_raw_name, gpu_vendor=gpu.vendor if gpu else raw.gpu_vendor,
        gpu_kind=gpu.kind if gpu else None, gpu_count=raw.gpu_count,
        gpu_fraction=raw.gpu_fraction,
        gpu_memory_gb=_gpu_memory_gb(raw, gpu.memory_gb if gpu else None), vcpus=raw.vcpus,
        memory_gb=raw.memory_gb, disk_gb=raw.disk_gb, price_per_hour=raw.price_usd_per_hour,
        price_per_gpu_hour=round(raw.price_usd_per_hour / raw.gpu_count, 6),
        available_count=raw.available_count, source=raw.source,
    )


def _gpu_memory_gb(raw: RawOffer, datasheet_gb: float | None) -> float | None:
    """The datasheet memory of the identified model; else what the source said; else None.

    Sources report usable memory (an H100 as 81559 MiB = 79.6 GiB); the datasheet figure
    (80 GB) is the one users filter on. A fractional GPU has its share of the memory: the
    source's figure, else the datasheet's times the share.
    """
    if raw.gpu_fraction < 1:
        share = round(datasheet_gb * raw.gpu_fraction, 2) if datasheet_gb else None
        return raw.gpu_memory_gb or share
    return datasheet_gb if datasheet_gb else raw.gpu_memory_gb
