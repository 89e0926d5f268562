"""Cudo Compute: ``GET /vms/machine-types-2`` (keyless), VMs priced per resource unit.

Each machine type of a data center prices one vCPU, one GiB of memory, one GPU, one GiB of
disk and one IPv4 address per hour (decimal strings in ``{"value": ...}`` objects), with
ratios a VM must keep (``minVcpuPerGpu``, ``min``/``maxVcpuPerMemoryGib``) and what is free
now (``maxGpuFree``, ``maxVcpuFree``, ``maxMemoryGibFree``). A VM's price is composed: for
n = 1..maxGpuFree GPUs, the smallest VM the ratios allow, with gpuhunt's minimums (2 vCPUs,
8 GiB, a 100 GiB boot disk): n GPUs + vCPUs + memory + disk + one IPv4. No spot.
"""

from __future__ import annotations

import logging
import math
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

BASE_URL = "https://rest.compute.cudo.org/v1"
TIMEOUT_S = 30.0
# Smallest VM gpuhunt priced for Cudo (gpuhunt 0.1.25, providers/cudo.py).
MIN_VCPUS, MIN_MEMORY_GIB, BOOT_DISK_GIB = 2, 8, 100
PRICES = ("vcpuPriceHr", "memoryGibPriceHr", "gpuPriceHr", "minStorageGibPriceHr",
          "ipv4PriceHr")


class CudoApi(ApiAdapter):
    NAME = "cudo-api"
    BASE_URL = BASE_URL
    TIMEOUT_S = TIMEOUT_S
    KEY_ENV = "CUDO_API_KEY"  # optional: machine types answer without one
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        super().__init__(api_key=api_key, base_url=base_url)
        self.source = f"{self.base_url}/vms/machine-types-2"

    def fetch(self, client: httpx.Client) -> FetchResult:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = self._get(client, "/vms/machine-types-2", headers=headers)
        machine_types = require_keys(require_list(body, "machineTypes", where="cudo-api"),
                                     ("dataCenterId", "machineType", "gpuPriceHr"),
                                     where="cudo-api")
        result = FetchResult(offers=[])
        for machine in machine_types:
            _parse_machine(machine, self.source, result)
        return result


def _parse_machine(machine: dict[str, Any], source: str, result: FetchResult) -> None:
    prices = {name: _unit_price(machine.get(name)) for name in PRICES}
    free = int(number(machine.get("maxGpuFree")) or 0)
    if not machine.get("gpuModel"):
        result.skip("CPU only")
        return
    if any(price is None for price in prices.values()) or not prices["gpuPriceHr"]:
        log.info("cudo-api: %s in %s lacks a unit price", machine.get("machineType"),
                 machine.get("dataCenterId"))
        result.skip("no price")
        return
    if free <= 0:
        result.skip("no GPU free")
        return
    for count in range(1, free + 1):
        size = _smallest_vm(machine, count)
        if size is None:
            result.skip("no VM fits what is free")
            continue
        vcpus, memory = size
        price = math.fsum((
            count * (prices["gpuPriceHr"] or 0), vcpus * (prices["vcpuPriceHr"] or 0),
            memory * (prices["memoryGibPriceHr"] or 0),
            BOOT_DISK_GIB * (prices["minStorageGibPriceHr"] or 0), prices["ipv4PriceHr"] or 0))
        result.offers.append(RawOffer(
            instance_type=f"{machine['machineType']}-{count}x{machine.get('gpuModelId') or ''}",
            region=str(machine["dataCenterId"]), gpu_raw_name=str(machine["gpuModel"]),
            gpu_count=count, gpu_detail=str(machine.get("gpuModelId") or ""), vcpus=vcpus,
            memory_gb=memory, disk_gb=BOOT_DISK_GIB, price_usd_per_hour=round(price, 6),
            spot=False, source=source,
        ))


def _smallest_vm(machine: dict[str, Any], gpus: int) -> tuple[int, int] | None:
    """(vCPUs, GiB) of the smallest VM with ``gpus`` GPUs the ratios allow, if it is free."""
    per_gpu = number(machine.get("minVcpuPerGpu")) or 0
    low, high = (number(machine.get("minVcpuPerMemoryGib")) or 0,
                 number(machine.get("maxVcpuPerMemoryGib")))
    vcpus = max(MIN_VCPUS, math.ceil(gpus * per_gpu))
    memory = max(MIN_MEMORY_GIB, math.ceil(vcpus / high) if high else MIN_MEMORY_GIB)
    vcpus = max(vcpus, math.ceil(memory * low))
    most_vcpus, most_memory = number(machine.get("maxVcpuFree")), number(
        machine.get("maxMemoryGibFree"))
    if (most_vcpus is not None and vcpus > most_vcpus) or (
            most_memory is not None and memory > most_memory):
        return None
    return vcpus, memory


def _unit_price(value: object) -> float | None:
    """A ``{"value": "0.002500"}`` unit price (a bare number is read too)."""
    price = number(value.get("value")) if isinstance(value, dict) else number(value)
    return price if price is not None and price >= 0 else None
