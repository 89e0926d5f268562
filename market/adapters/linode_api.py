"""Akamai Cloud (Linode): ``GET /linode/types`` (keyless), the GPU plans and their prices.

The body is ``{"data": [...], "page", "pages", "results"}``, paged with ``?page=N``. A type
gives ``gpus`` (count), ``vcpus``, ``memory`` and ``disk`` (MB), ``price.hourly`` (USD per
instance-hour, the same everywhere) and ``region_prices`` (``[{"id", "hourly"}]``, regions
that charge otherwise). A type has no GPU model field: it is read from the label
("Dedicated 32GB + RTX6000 GPU x1"), else it is the one the API reference gives the ``gpu``
class (NVIDIA Quadro RTX 6000). The base price is one offer with no region; each regional
price is an offer in that region. No spot.
"""

from __future__ import annotations

import logging
import re
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

BASE_URL = "https://api.linode.com/v4"
TIMEOUT_S = 30.0
MAX_PAGES = 20
_LABEL_GPU = re.compile(r"\+?\s*((?:RTX|Quadro|NVIDIA|L4|L40|A\d|H\d)[\w -]*?)\s*(?:GPU\s*)?x\d",
                        re.IGNORECASE)


class LinodeApi(ApiAdapter):
    NAME = "linode-api"
    BASE_URL = BASE_URL
    TIMEOUT_S = TIMEOUT_S
    KEY_ENV = "LINODE_TOKEN"  # optional: the plan catalog answers without one
    KEY_ALIASES = ("akamai",)
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        super().__init__(api_key=api_key, base_url=base_url)
        self.source = f"{self.base_url}/linode/types"

    def fetch(self, client: httpx.Client) -> FetchResult:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        result = FetchResult(offers=[])
        page, pages = 1, 1
        while page <= pages:
            body = self._get(client, "/linode/types", headers=headers, params={"page": page})
            types = require_keys(require_list(body, "data", where="linode-api"),
                                 ("id", "gpus", "price"), where="linode-api")
            for kind in types:
                _parse_type(kind, self.source, result)
            pages = int(number(body.get("pages")) or 1)
            page += 1
            if page > MAX_PAGES:
                result.notes.append(f"stopped after {MAX_PAGES} pages of types")
                break
        return result


def _parse_type(kind: dict[str, Any], source: str, result: FetchResult) -> None:
    count = number(kind.get("gpus"))
    if not count or count <= 0:
        result.skip("CPU only")
        return
    base = number((kind.get("price") or {}).get("hourly"))
    prices = [("", base)] + [(str(p.get("id") or ""), number(p.get("hourly")))
                             for p in kind.get("region_prices") or [] if isinstance(p, dict)]
    priced = [(region, price) for region, price in prices if price and price > 0]
    if not priced:
        log.info("linode-api: %s has no price", kind.get("id"))
        result.skip("no price")
        return
    memory, disk = number(kind.get("memory")), number(kind.get("disk"))
    for region, price in priced:
        result.offers.append(RawOffer(
            instance_type=str(kind["id"]), region=region, gpu_raw_name=_gpu_name(kind),
            gpu_count=count, gpu_detail=str(kind.get("label") or ""),
            vcpus=number(kind.get("vcpus")), memory_gb=round(memory / 1024, 2) if memory else None,
            disk_gb=round(disk / 1024, 2) if disk else None, price_usd_per_hour=price,
            spot=False, source=source,
        ))


def _gpu_name(kind: dict[str, Any]) -> str:
    """The GPU the label names ("RTX6000"), else the ``gpu`` class's Quadro RTX 6000."""
    found = _LABEL_GPU.search(str(kind.get("label") or ""))
    return found.group(1).strip() if found else "Quadro RTX 6000"
