"""Lambda Cloud: ``GET /instance-types`` (Bearer key), one offer per region with capacity.

The body is ``{"data": {"<type>": {"instance_type": {...}, "regions_with_capacity_available":
[{"name", "description"}]}}}``; errors come as ``{"error": {"code", "message"}}``. Prices are
integer cents per instance-hour; memory and disk are GiB; VRAM is only in the description
("1x NVIDIA A100 (80 GB)"). A type with no capacity region today yields no offer.
"""

from __future__ import annotations

import logging
import re
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

BASE_URL = "https://cloud.lambdalabs.com/api/v1"
TIMEOUT_S = 10.0
_DESCRIPTION = re.compile(r"^(\d+)x (.+?) \((\d+) GB")


class LambdaApi(ApiAdapter):
    NAME = "lambda-api"
    BASE_URL = BASE_URL
    TIMEOUT_S = TIMEOUT_S
    KEY_ENV = "LAMBDA_API_KEY"
    KEY_REQUIRED = True
    KEY_ALIASES = ("lambdalabs",)
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        super().__init__(api_key=api_key, base_url=base_url)
        self.source = f"{self.base_url}/instance-types"

    def fetch(self, client: httpx.Client) -> FetchResult:
        key = self._require_key()
        body = self._get(client, "/instance-types", headers={"Authorization": f"Bearer {key}"})
        data = _parse_data(body)
        entries = require_keys(list(data.values()), ("instance_type",
                                                      "regions_with_capacity_available"),
                               where="lambda-api")
        require_keys([e["instance_type"] for e in entries], ("price_cents_per_hour", "description"),
                     where="lambda-api instance_type")
        result = FetchResult(offers=[])
        for name, entry in data.items():
            _parse_type(name, entry, self.source, result)
        return result


def _parse_data(body: Any) -> dict[str, Any]:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        raise ProviderError(f"lambda-api: {error.get('code')}: {error.get('message')}")
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise ProviderError("lambda-api: answer has no 'data' object")
    return data


def _parse_type(name: str, entry: dict[str, Any], source: str, result: FetchResult) -> None:
    kind = entry.get("instance_type") or {}
    specs = kind.get("specs") or {}
    parsed = _DESCRIPTION.match(kind.get("description") or "")
    count = number(specs.get("gpus")) or (number(parsed.group(1)) if parsed else None)
    price = number(kind.get("price_cents_per_hour"))
    if not count or not parsed:
        log.info("lambda-api: skipping %s, no GPU in %r", name, kind.get("description"))
        result.skip("no GPU in description")
        return
    if not price or price <= 0:
        result.skip("no price")
        return
    regions = entry.get("regions_with_capacity_available") or []
    if not regions:
        result.skip("no region with capacity")
    for region in regions:
        result.offers.append(RawOffer(
            instance_type=kind.get("name") or name, region=region["name"],
            gpu_raw_name=parsed.group(2), gpu_count=count, gpu_memory_gb=float(parsed.group(3)),
            gpu_detail=kind.get("gpu_description") or "", vcpus=number(specs.get("vcpus")),
            memory_gb=number(specs.get("memory_gib")), disk_gb=number(specs.get("storage_gib")),
            price_usd_per_hour=price / 100, spot=False, source=source,
        ))
