"""Shadeform (an aggregator): ``GET /v1/instances/types`` (``X-API-KEY``), one offer per
(underlying cloud, its instance type, region available now).

``hourly_price`` is integer cents per instance-hour; ``configuration`` gives ``num_gpus``,
``gpu_type`` ("A100", "H100"), ``vram_per_gpu_in_gb``, ``vcpus``, ``memory_in_gb``,
``storage_in_gb``. ``availability`` lists regions with ``available`` now; a region not
available today gives no offer. The instance type is ``<cloud>/<cloud_instance_type>``, so
rows of different underlying clouds never collide.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from market.adapters.base import (
    ApiAdapter,
    FetchResult,
    ProviderError,
    RawOffer,
    number,
    require_keys,
)

log = logging.getLogger(__name__)

BASE_URL = "https://api.shadeform.ai/v1"
TIMEOUT_S = 30.0


class ShadeformApi(ApiAdapter):
    NAME = "shadeform-api"
    BASE_URL = BASE_URL
    TIMEOUT_S = TIMEOUT_S
    KEY_ENV = "SHADEFORM_API_KEY"
    KEY_REQUIRED = True
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        super().__init__(api_key=api_key, base_url=base_url)
        self.source = f"{self.base_url}/instances/types"

    def fetch(self, client: httpx.Client) -> FetchResult:
        body = self._get(client, "/instances/types", headers={"X-API-KEY": self._require_key()})
        types = body.get("instance_types") if isinstance(body, dict) else None
        if not isinstance(types, list):
            raise ProviderError(f"shadeform-api: no 'instance_types' list ({str(body)[:200]})")
        require_keys(types, ("hourly_price", "configuration", "availability"),
                     where="shadeform-api")
        result = FetchResult(offers=[])
        for kind in types:
            _parse_type(kind, self.source, result)
        return result


def _parse_type(kind: dict[str, Any], source: str, result: FetchResult) -> None:
    config = kind.get("configuration") or {}
    count, cents = number(config.get("num_gpus")), number(kind.get("hourly_price"))
    name = f"{kind.get('cloud')}/{kind.get('cloud_instance_type')}"
    if not count or count <= 0:
        result.skip("CPU only")
        return
    if not cents or cents <= 0:
        log.info("shadeform-api: skipping %s without price", name)
        result.skip("no price")
        return
    for place in kind.get("availability") or []:
        if not place.get("available") or not place.get("region"):
            result.skip("region not available now")
            continue
        result.offers.append(RawOffer(
            instance_type=name, region=place["region"],
            gpu_raw_name=str(config.get("gpu_type") or ""), gpu_count=count,
            gpu_memory_gb=number(config.get("vram_per_gpu_in_gb")),
            gpu_vendor=(config.get("gpu_manufacturer") or "").lower() or None,
            gpu_detail=str(kind.get("shade_instance_type") or ""),
            vcpus=number(config.get("vcpus")), memory_gb=number(config.get("memory_in_gb")),
            disk_gb=number(config.get("storage_in_gb")), price_usd_per_hour=cents / 100,
            spot=False, source=source,
        ))
