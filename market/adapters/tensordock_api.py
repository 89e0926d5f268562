"""TensorDock marketplace: ``GET /client/deploy/hostnodes`` (v0 API, keyless), one offer per host.

The body is ``{"hostnodes": {"<uuid>": {"location": {"country", "region", "city", ...},
"specs": {"cpu", "ram", "storage": {"amount", "price"}, "gpu": {"<model>": {"amount",
"price", "vram"}}}}}}``. Prices are USD per unit-hour (one vCPU, one GB of RAM, one GB of disk,
one GPU), so an offer's price is composed. Like gpuhunt (0.1.15) without a query, an offer is
the whole host for each GPU model it carries: every GPU of that model plus all its vCPUs, RAM
and disk. The region is the host's country.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import httpx

from market.adapters.base import (
    ApiAdapter,
    FetchResult,
    PayloadRejected,
    RawOffer,
    number,
    require_keys,
)

log = logging.getLogger(__name__)

BASE_URL = "https://marketplace.tensordock.com/api/v0"
TIMEOUT_S = 30.0
UNITS = ("cpu", "ram", "storage")


class TensorDockApi(ApiAdapter):
    NAME = "tensordock-api"
    BASE_URL = BASE_URL
    TIMEOUT_S = TIMEOUT_S
    KEY_ENV = "TENSORDOCK_API_KEY"  # optional: the host list answers without one
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        super().__init__(api_key=api_key, base_url=base_url)
        self.source = f"{self.base_url}/client/deploy/hostnodes"

    def fetch(self, client: httpx.Client) -> FetchResult:
        body = self._get(client, "/client/deploy/hostnodes")
        hosts = body.get("hostnodes") if isinstance(body, dict) else None
        if not isinstance(hosts, dict):
            raise PayloadRejected(f"tensordock-api: answer has no 'hostnodes' object "
                                  f"({str(body)[:200]})")
        require_keys(list(hosts.values()), ("location", "specs"), where="tensordock-api")
        specs = [host["specs"] for host in hosts.values()]
        require_keys(specs, ("gpu", *UNITS), where="tensordock-api specs")
        require_keys([s[u] for s in specs for u in UNITS], ("amount", "price"),
                     where="tensordock-api specs")
        result = FetchResult(offers=[])
        for host_id, host in hosts.items():
            _parse_host(str(host_id), host, self.source, result)
        return result


def _parse_host(host_id: str, host: dict[str, Any], source: str, result: FetchResult) -> None:
    specs, location = host["specs"], host.get("location") or {}
    units = [(number(specs[u].get("amount")), number(specs[u].get("price"))) for u in UNITS]
    if any(amount is None or price is None for amount, price in units):
        result.skip("no price")
        return
    resources = math.fsum((amount or 0) * (price or 0) for amount, price in units)
    gpus = specs["gpu"] if isinstance(specs["gpu"], dict) else {}
    if not gpus:
        result.skip("CPU only")
    for model, gpu in gpus.items():
        count, price = number(gpu.get("amount")), number(gpu.get("price"))
        if not count or count <= 0:
            result.skip("no GPU free")
            continue
        if not price or price <= 0:
            log.info("tensordock-api: %s on %s has no price", model, host_id)
            result.skip("no price")
            continue
        result.offers.append(RawOffer(
            instance_type=f"{host_id}/{model}", region=str(location.get("country") or ""),
            zone=str(location.get("city") or "") or None, gpu_raw_name=str(model),
            gpu_count=count, gpu_memory_gb=number(gpu.get("vram")), vcpus=units[0][0],
            memory_gb=units[1][0], disk_gb=units[2][0],
            price_usd_per_hour=round(resources + count * price, 6), spot=False, source=source,
            available_count=1,  # ``amount`` is the host's free GPUs: this offer takes them all
        ))
