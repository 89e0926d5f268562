"""JarvisLabs: ``GET /misc/server_meta`` (Bearer key), GPU prices per GPU-hour per region.

Each ``server_meta`` row is one GPU type in one region and workload (``vm``, ``container``;
``null`` on older rows that gpuhunt confirmed to be VMs) with ``price_per_hour`` and
``spot_price`` per GPU, ``cpus_per_gpu`` and ``ram_per_gpu`` (GB), ``vram`` (GB, a string),
free devices now, and ``num_gpus``, the most per instance (one when absent). An instance of
n GPUs costs n times the per-GPU price; n goes up to what is free now (gpuhunt's rule), and
the free GPUs make free // n such instances (``available_count``).
CPU-only ``cpu_meta`` combinations are not accelerator offers.
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

BASE_URL = "https://backendn.jarvislabs.net"
TIMEOUT_S = 30.0


class JarvisLabsApi(ApiAdapter):
    NAME = "jarvislabs-api"
    BASE_URL = BASE_URL
    TIMEOUT_S = TIMEOUT_S
    KEY_ENV = "JARVISLABS_API_KEY"
    KEY_REQUIRED = True
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        super().__init__(api_key=api_key, base_url=base_url)
        self.source = f"{self.base_url}/misc/server_meta"

    def fetch(self, client: httpx.Client) -> FetchResult:
        headers = {"Authorization": f"Bearer {self._require_key()}"}
        body = self._get(client, "/misc/server_meta", headers=headers)
        rows = body.get("server_meta") if isinstance(body, dict) else None
        if not isinstance(rows, list):
            raise ProviderError(f"jarvislabs-api: no 'server_meta' list ({str(body)[:200]})")
        require_keys(rows, ("gpu_type", "region", "price_per_hour"), where="jarvislabs-api")
        result = FetchResult(offers=[])
        for row in rows:
            _parse_row(row, self.source, result)
        for _ in (body.get("cpu_meta") or {}).get("combinations") or []:
            result.skip("CPU only")
        return result


def _parse_row(row: dict[str, Any], source: str, result: FetchResult) -> None:
    gpu, region = row.get("gpu_type"), row.get("region")
    if not gpu or not region:
        log.info("jarvislabs-api: skipping row without GPU type or region: %s", row)
        result.skip("no GPU type or region")
        return
    most = int(number(row.get("num_gpus")) or 1)
    prices = [(False, number(row.get("price_per_hour")), _free(row, "effective_num_free_devices",
                                                               "num_free_devices")),
              (True, number(row.get("spot_price")), _free(row, "spot_num_free_devices"))]
    priced = [(spot, price, free) for spot, price, free in prices if price and price > 0]
    if not priced:
        result.skip("no price")
    elif not any(free for _, _, free in priced):
        result.skip("none free")
    for spot, price, free in priced:
        for count in range(1, min(free, most) + 1):
            result.offers.append(_offer(row, count, price, spot, source, free // count))


def _free(row: dict[str, Any], *fields: str) -> int:
    for name in fields:
        if (value := number(row.get(name))) is not None:
            return int(value)
    return 0


def _offer(row: dict[str, Any], count: int, price_per_gpu: float, spot: bool,
           source: str, available: int) -> RawOffer:
    """An instance of ``count`` GPUs; ``available``: how many such instances the free GPUs
    make now (free // count)."""
    workload = row.get("workload_type") or "vm"
    cpus, ram = number(row.get("cpus_per_gpu")), number(row.get("ram_per_gpu"))
    return RawOffer(
        instance_type=f"{row['gpu_type']}-{count}x-{workload}", region=row["region"],
        gpu_raw_name=row["gpu_type"], gpu_count=count, gpu_memory_gb=number(row.get("vram")),
        vcpus=cpus * count if cpus else None, memory_gb=ram * count if ram else None,
        price_usd_per_hour=round(price_per_gpu * count, 6), spot=spot, source=source,
        available_count=available,
    )
