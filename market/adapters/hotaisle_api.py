"""Hot Aisle: available virtual machines and bare metal of one team (``Token`` key).

``GET /teams/{team}/virtual_machines/available/`` and ``.../bare_metal/available/`` list
``{OnDemandPrice (integer cents per instance-hour), Specs: {cpu_cores, ram_capacity (bytes),
disk_capacity (bytes), gpus: [{count, model, manufacturer}]}}``; the body is ``null`` when
nothing is available. The API names no location (gpuhunt writes its own), so the region is
left empty. The instance name is built from the specs, as the API gives none.
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
    env_value,
    number,
    require_keys,
)

log = logging.getLogger(__name__)

BASE_URL = "https://admin.hotaisle.app/api"
TIMEOUT_S = 30.0
KINDS = (("vm", "virtual_machines"), ("bm", "bare_metal"))
GIB = 1024**3


class HotAisleApi(ApiAdapter):
    """The key is the API token; the team comes from ``HOTAISLE_TEAM_HANDLE`` or ``team:token``."""

    NAME = "hotaisle-api"
    BASE_URL = BASE_URL
    TIMEOUT_S = TIMEOUT_S
    KEY_ENV = "HOTAISLE_API_KEY"
    KEY_REQUIRED = True
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None,
                 team: str | None = None) -> None:
        super().__init__(api_key=api_key, base_url=base_url)
        if self.api_key and ":" in self.api_key:
            team, _, self.api_key = self.api_key.partition(":")
        self.team = team or env_value("HOTAISLE_TEAM_HANDLE")
        self.source = f"{self.base_url}/teams/{self.team or '<team>'}"

    def key_missing(self) -> str | None:
        if self.api_key and self.team:
            return None
        return ("set HOTAISLE_API_KEY and HOTAISLE_TEAM_HANDLE (a saved key may be "
                "'team:token')")

    def fetch(self, client: httpx.Client) -> FetchResult:
        headers = {"Authorization": f"Token {self._require_key()}"}
        result = FetchResult(offers=[])
        for prefix, path in KINDS:
            body = self._get(client, f"/teams/{self.team}/{path}/available/", headers=headers)
            if body is not None and not isinstance(body, list):
                raise ProviderError(f"hotaisle-api: {path} is not a list ({str(body)[:200]})")
            for item in require_keys(body or [], ("OnDemandPrice", "Specs"),
                                     where=f"hotaisle-api {path}"):
                _parse_item(item, prefix, f"{self.source}/{path}/available/", result)
        return result


def _parse_item(item: dict[str, Any], prefix: str, source: str, result: FetchResult) -> None:
    specs = item.get("Specs") or {}
    gpus = [g for g in specs.get("gpus") or [] if number(g.get("count"))]
    cents = number(item.get("OnDemandPrice"))
    if len(gpus) != 1:
        log.info("hotaisle-api: skipping %s item with GPUs %s", prefix, specs.get("gpus"))
        result.skip("CPU only" if not gpus else "mixed GPUs")
        return
    if not cents or cents <= 0:
        result.skip("no price")
        return
    gpu, cores = gpus[0], number(specs.get("cpu_cores"))
    count = number(gpu["count"]) or 1
    memory, disk = _bytes_to_gb(specs.get("ram_capacity")), _bytes_to_gb(specs.get("disk_capacity"))
    name = f"{prefix}-{count:g}x{gpu.get('model')}-{cores or 0:g}c-{memory or 0:g}g".lower()
    result.offers.append(RawOffer(
        instance_type=name, region="", gpu_raw_name=str(gpu.get("model") or ""),
        gpu_count=count, gpu_vendor=(gpu.get("manufacturer") or "").lower() or None,
        vcpus=cores, memory_gb=memory, disk_gb=disk, price_usd_per_hour=cents / 100,
        spot=False, source=source, available_count=number(item.get("Quantity")),
    ))


def _bytes_to_gb(value: object) -> float | None:
    size = number(value)
    return round(size / GIB, 2) if size else None
