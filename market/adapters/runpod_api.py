"""RunPod: GraphQL ``gpuTypes`` (keyless), prices per GPU-hour for Secure and Community Cloud.

One query lists every GPU type with its on-demand (``securePrice``, ``communityPrice``) and
spot (``secureSpotPrice``, ``communitySpotPrice``) prices, USD per GPU-hour, and the most GPUs
a pod may have (``maxGpuCount``). A pod of n GPUs costs n times the per-GPU price, so each
type gives one offer per (cloud, price kind, n = 1..maxGpuCount). Where those pods run is
only answered per data center by ``lowestPrice`` queries (a grid of requests): this adapter
leaves the region empty. GraphQL answers errors with HTTP 200 and an ``errors`` array.
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

BASE_URL = "https://api.runpod.io"
TIMEOUT_S = 30.0
QUERY = """query GpuTypes {
  gpuTypes {
    id displayName manufacturer memoryInGb maxGpuCount secureCloud communityCloud
    securePrice communityPrice secureSpotPrice communitySpotPrice
  }
}"""
# (cloud, spot, price field, flag saying the cloud offers the type)
PRICES = (
    ("secure", False, "securePrice", "secureCloud"),
    ("secure", True, "secureSpotPrice", "secureCloud"),
    ("community", False, "communityPrice", "communityCloud"),
    ("community", True, "communitySpotPrice", "communityCloud"),
)


class RunpodApi(ApiAdapter):
    NAME = "runpod-api"
    BASE_URL = BASE_URL
    TIMEOUT_S = TIMEOUT_S
    KEY_ENV = "RUNPOD_API_KEY"  # optional: price queries answer without one
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        super().__init__(api_key=api_key, base_url=base_url)
        self.source = f"{self.base_url}/graphql"

    def fetch(self, client: httpx.Client) -> FetchResult:
        # A key goes in a header, never in the URL (errors quote the URL).
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = self._post(client, "/graphql", {"query": QUERY, "variables": {}}, headers=headers)
        result = FetchResult(offers=[])
        for gpu in _parse_gpu_types(body):
            _parse_gpu_type(gpu, self.source, result)
        return result


def _parse_gpu_types(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        raise ProviderError("runpod-api: answer is not a GraphQL object")
    if body.get("errors"):
        messages = [str(e.get("message", e)) if isinstance(e, dict) else str(e)
                    for e in body["errors"]]
        raise ProviderError(f"runpod-api: GraphQL errors: {'; '.join(messages)[:300]}")
    gpu_types = (body.get("data") or {}).get("gpuTypes")
    if not isinstance(gpu_types, list):
        raise ProviderError("runpod-api: answer has no data.gpuTypes list")
    return require_keys(gpu_types, ("id",), where="runpod-api gpuTypes")


def _parse_gpu_type(gpu: dict[str, Any], source: str, result: FetchResult) -> None:
    gpu_id = gpu.get("id") or ""
    if not gpu_id or gpu_id.lower() == "unknown" or "mig" in gpu_id.lower().split():
        result.skip("not a whole GPU")
        return
    priced = [(cloud, spot, price) for cloud, spot, field, offered in PRICES
              if gpu.get(offered) is not False and (price := number(gpu.get(field)) or 0) > 0]
    if not priced:
        log.info("runpod-api: %s has no price", gpu_id)
        result.skip("no price")
        return
    most = int(number(gpu.get("maxGpuCount")) or 1)
    for cloud, spot, price in priced:
        for count in range(1, max(most, 1) + 1):
            result.offers.append(_offer(gpu, cloud, spot, price, count, source))


def _offer(gpu: dict[str, Any], cloud: str, spot: bool, price_per_gpu: float, count: int,
           source: str) -> RawOffer:
    manufacturer = gpu.get("manufacturer")
    return RawOffer(
        instance_type=f"{count}x {gpu['id']} ({cloud})", region="",
        gpu_raw_name=gpu.get("displayName") or gpu["id"], gpu_count=count,
        gpu_memory_gb=number(gpu.get("memoryInGb")), gpu_detail=gpu["id"],
        gpu_vendor=manufacturer.lower() if isinstance(manufacturer, str) else None,
        price_usd_per_hour=round(price_per_gpu * count, 6), spot=spot, source=source,
    )
