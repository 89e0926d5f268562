"""DigitalOcean: ``GET /v2/sizes`` (Bearer token), GPU droplets, one offer per region.

``price_hourly`` is USD per droplet; ``memory`` is MiB; ``gpu_info.vram.amount`` is the
VRAM of the whole droplet (640 GiB for 8x H100), so it is divided by ``gpu_info.count``.
Disk is the local/boot disks of ``disk_info`` (scratch excluded). An empty ``regions`` list
or ``available: false`` means the size cannot be created now. Paged by ``page``/``per_page``
with ``links.pages.next``.
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

BASE_URL = "https://api.digitalocean.com/v2"
TIMEOUT_S = 30.0
PER_PAGE = 200
MAX_PAGES = 20
_BOOT_DISKS = ("local", "boot")


class DigitalOceanApi(ApiAdapter):
    NAME = "do-api"
    BASE_URL = BASE_URL
    TIMEOUT_S = TIMEOUT_S
    KEY_ENV = "DIGITALOCEAN_TOKEN"
    KEY_REQUIRED = True
    KEY_ALIASES = ("digitalocean",)
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        super().__init__(api_key=api_key, base_url=base_url)
        self.source = f"{self.base_url}/sizes"

    def fetch(self, client: httpx.Client) -> FetchResult:
        headers = {"Authorization": f"Bearer {self._require_key()}"}
        result = FetchResult(offers=[])
        page: str | None = "1"
        for _ in range(MAX_PAGES):
            body = self._get(client, "/sizes", headers=headers,
                             params={"page": page, "per_page": PER_PAGE})
            for size in require_keys(_parse_sizes(body), ("slug", "price_hourly"),
                                     where="do-api"):
                _parse_size(size, self.source, result)
            page = _next_page(body)
            if page is None:
                return result
        result.notes.append(f"stopped after {MAX_PAGES} pages of sizes")
        return result


def _parse_sizes(body: Any) -> list[dict[str, Any]]:
    sizes = body.get("sizes") if isinstance(body, dict) else None
    if not isinstance(sizes, list):
        detail = body.get("message") if isinstance(body, dict) else None
        raise ProviderError(f"do-api: answer has no 'sizes' list ({detail or str(body)[:200]})")
    return sizes


def _next_page(body: dict[str, Any]) -> str | None:
    """The page number of ``links.pages.next``, asked on our own base URL (a mirror's too)."""
    pages = (body.get("links") or {}).get("pages") or {}
    following = pages.get("next")
    return httpx.URL(following).params.get("page") if isinstance(following, str) else None


def _parse_size(size: dict[str, Any], source: str, result: FetchResult) -> None:
    gpu = size.get("gpu_info") or {}
    count, price = number(gpu.get("count")), number(size.get("price_hourly"))
    if not count or count <= 0:
        result.skip("CPU only")
        return
    if not price or price <= 0:
        log.info("do-api: skipping %s without price", size.get("slug"))
        result.skip("no price")
        return
    if not size.get("available", True) or not size.get("regions"):
        result.skip("not available")
        return
    for region in size["regions"]:
        result.offers.append(RawOffer(
            instance_type=size.get("slug") or "", region=region,
            gpu_raw_name=gpu.get("model") or "", gpu_count=count,
            gpu_memory_gb=_per_gpu_vram_gb(gpu, count), gpu_detail=size.get("description") or "",
            vcpus=number(size.get("vcpus")), memory_gb=_mib_to_gb(size.get("memory")),
            disk_gb=_disk_gb(size), price_usd_per_hour=price, spot=False, source=source,
        ))


def _per_gpu_vram_gb(gpu: dict[str, Any], count: float) -> float | None:
    vram = gpu.get("vram") or {}
    amount = number(vram.get("amount"))
    if amount is None or str(vram.get("unit", "gib")).lower() not in ("gib", "gb"):
        return None
    return round(amount / count, 2)


def _mib_to_gb(value: object) -> float | None:
    mib = number(value)
    return round(mib / 1024, 2) if mib else None


def _disk_gb(size: dict[str, Any]) -> float | None:
    disks = [d for d in size.get("disk_info") or [] if d.get("type") in _BOOT_DISKS]
    amounts = [number((d.get("size") or {}).get("amount")) for d in disks]
    if disks and all(a is not None for a in amounts):
        return sum(a for a in amounts if a is not None)
    return number(size.get("disk"))
