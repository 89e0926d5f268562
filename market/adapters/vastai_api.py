"""Vast.ai: ``POST /bundles/`` with a JSON filter (keyless), each bundle a host slice.

Every bundle gives an on-demand offer and, when it has a ``min_bid``, an interruptible twin.
Both are priced the way gpuhunt does: ``dph_base`` (or ``min_bid``) plus the bundle's whole
``disk_space`` at ``storage_cost`` USD per GB-month (30-day month). ``gpu_ram`` is MiB per
GPU; ``cpu_ram`` is MiB of the whole host, so the slice gets its share by effective cores.
Bundle ids churn within minutes: an offer lives as long as its host slice is listed.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

import httpx

from market.adapters.base import (
    ApiAdapter,
    FetchResult,
    RawOffer,
    number,
    require_keys,
    require_list,
)

log = logging.getLogger(__name__)

BASE_URL = "https://console.vast.ai/api/v0"
TIMEOUT_S = 30.0
LIMIT = 3000
HOURS_PER_MONTH = 30 * 24  # storage_cost is per GB per 30-day month
QUERY: dict[str, Any] = {
    "rentable": {"eq": True}, "rented": {"eq": False},
    "order": [["score", "desc"]], "limit": LIMIT,
}


class VastApi(ApiAdapter):
    NAME = "vast-api"
    BASE_URL = BASE_URL
    TIMEOUT_S = TIMEOUT_S
    KEY_ENV = "VAST_API_KEY"  # optional: the search answers without one
    KEY_ALIASES = ("vastai",)
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        super().__init__(api_key=api_key, base_url=base_url)
        self.source = f"{self.base_url}/bundles/"

    def fetch(self, client: httpx.Client) -> FetchResult:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = self._post(client, "/bundles/", QUERY, headers=headers)
        offers = require_keys(require_list(body, "offers", where="vast-api"),
                              ("num_gpus", "dph_base"), where="vast-api")
        result = FetchResult(offers=[])
        for bundle in offers:
            result.offers += _parse_bundle(bundle, self.source, result)
        return result


def _parse_bundle(bundle: dict[str, Any], source: str, result: FetchResult) -> list[RawOffer]:
    count, base = number(bundle.get("num_gpus")), number(bundle.get("dph_base"))
    if not count or count <= 0:
        result.skip("no GPU")
        return []
    if not base or base <= 0:
        log.info("vast-api: skipping bundle %s without dph_base", bundle.get("id"))
        result.skip("no price")
        return []
    disk, disk_cost = _disk(bundle)
    offer = RawOffer(
        instance_type=str(bundle.get("id")), region=bundle.get("geolocation") or "",
        gpu_raw_name=bundle.get("gpu_name") or "", gpu_count=count,
        gpu_memory_gb=_mib_to_gb(bundle.get("gpu_ram")),
        gpu_vendor=bundle.get("gpu_arch") or None, vcpus=number(bundle.get("cpu_cores_effective")),
        memory_gb=_slice_memory_gb(bundle), disk_gb=disk,
        price_usd_per_hour=round(base + disk_cost, 6), spot=False, source=source,
        available_count=_available(bundle),
    )
    bid = number(bundle.get("min_bid"))
    if bid is None or bid <= 0:
        return [offer]
    return [offer, replace(offer, price_usd_per_hour=round(bid + disk_cost, 6), spot=True)]


def _available(bundle: dict[str, Any]) -> float | None:
    """A bundle is one host slice: 1 when it is rentable and not rented, 0 when taken, None
    when the bundle does not say. (``gpu_frac`` is the slice's share of the host's GPUs, not
    a share of one GPU: every Vast GPU is whole.)"""
    rentable, rented = bundle.get("rentable"), bundle.get("rented")
    if not isinstance(rentable, bool) or not isinstance(rented, bool):
        return None
    return 1.0 if rentable and not rented else 0.0


def _disk(bundle: dict[str, Any]) -> tuple[float | None, float]:
    """The bundle's disk (GB) and its cost per hour; an unpriced disk is left out (None)."""
    disk, cost = number(bundle.get("disk_space")), number(bundle.get("storage_cost"))
    if disk is None or cost is None:
        return None, 0.0
    return disk, disk * cost / HOURS_PER_MONTH


def _mib_to_gb(value: object) -> float | None:
    mib = number(value)
    return round(mib / 1024, 2) if mib else None


def _slice_memory_gb(bundle: dict[str, Any]) -> float | None:
    """The host's RAM times the slice's share of its cores (``cpu_cores`` may be null)."""
    host_mib = number(bundle.get("cpu_ram"))
    cores, effective = number(bundle.get("cpu_cores")), number(bundle.get("cpu_cores_effective"))
    if not host_mib or not cores or effective is None:
        return None
    return round(host_mib / 1024 * effective / cores, 2)
