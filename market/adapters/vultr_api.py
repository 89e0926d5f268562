"""Vultr: ``GET /v2/plans`` and ``/v2/plans-metal`` (keyless), one offer per plan location.

Prices are USD per instance-hour (``hourly_cost``); bare metal also gives an interruptible
``hourly_cost_preemptible``, kept as a spot twin. ``ram`` is MiB; ``disk`` GB per disk,
``disk_count`` disks. Cloud GPU plans (``vcg``, ``vdm``) give ``gpu_type`` ("NVIDIA_A100") and
``gpu_vram_gb`` for the whole plan, which may be a slice of one GPU (4 GB of an A100 80GB):
such a plan is one GPU with that memory and ``gpu_fraction`` its share (4/80 = 0.05). The
plan gives no GPU count: a plan with more VRAM than one GPU of its model has (datasheet,
``mathcore.gpus``) is that many whole GPUs, and one whose VRAM is no whole multiple is
skipped. Bare metal writes its count in the plan id
("vbm-112c-2048gb-8-h100-gpu"); a dedicated plan without ``gpu_type`` names its GPU in its id
("vcg-a40-24c-120g-48vram"). Cursor paged (``meta.links.next``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
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
from market.normalize.gpu_names import gpu_family_members, gpu_identify
from mathcore.gpus import GPU_SPECS

log = logging.getLogger(__name__)

BASE_URL = "https://api.vultr.com/v2"
TIMEOUT_S = 30.0
PER_PAGE = 500
MAX_PAGES = 10
_METAL_ID = re.compile(r"-(?:(\d+)-)?([a-z0-9]+)-gpu$")  # "...-8-h100-gpu", "...-l40-gpu"
_CLOUD_ID = re.compile(r"^vcg-([a-z0-9]+)-.*?(\d+)vram$")  # "vcg-a40-24c-120g-48vram"


class VultrApi(ApiAdapter):
    NAME = "vultr-api"
    BASE_URL = BASE_URL
    TIMEOUT_S = TIMEOUT_S
    KEY_ENV = "VULTR_API_KEY"  # optional: plans are public
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        super().__init__(api_key=api_key, base_url=base_url)
        self.source = f"{self.base_url}/plans"

    def fetch(self, client: httpx.Client) -> FetchResult:
        result = FetchResult(offers=[])
        for plan in self._pages(client, "/plans", "plans", {"type": "all"}, result):
            _parse_cloud_plan(plan, self.source, result)
        source = f"{self.base_url}/plans-metal"
        for plan in self._pages(client, "/plans-metal", "plans_metal", {}, result):
            _parse_metal_plan(plan, source, result)
        return result

    def _pages(self, client: httpx.Client, path: str, key: str, params: dict[str, str],
               result: FetchResult) -> list[dict[str, Any]]:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        plans: list[dict[str, Any]] = []
        cursor = ""
        for _ in range(MAX_PAGES):
            query = {**params, "per_page": str(PER_PAGE), **({"cursor": cursor} if cursor else {})}
            body = self._get(client, path, headers=headers, params=query)
            if not isinstance(body, dict) or not isinstance(body.get(key), list):
                raise ProviderError(f"vultr-api: {path} answer has no '{key}' list "
                                    f"({str(body)[:200]})")
            plans += require_keys(body[key], ("id", "hourly_cost"), where=f"vultr-api {path}")
            cursor = ((body.get("meta") or {}).get("links") or {}).get("next") or ""
            if not cursor:
                return plans
        result.notes.append(f"{path}: stopped after {MAX_PAGES} pages")
        return plans


def _parse_cloud_plan(plan: dict[str, Any], source: str, result: FetchResult) -> None:
    plan_id = str(plan.get("id") or "")
    named = _CLOUD_ID.match(plan_id)
    gpu = plan.get("gpu_type") or (named.group(1) if named else None)
    if not gpu:
        result.skip("CPU only" if plan.get("type") not in ("vcg", "vdm") else "GPU not named")
        return
    vram = number(plan.get("gpu_vram_gb")) or (number(named.group(2)) if named else None)
    counted = _gpus_in(str(gpu), vram)
    if counted is None:
        log.info("vultr-api: skipping %s, %s GB is no whole number of %s", plan_id, vram, gpu)
        result.skip("GPU count unknown")
        return
    template = RawOffer(
        instance_type=plan_id, region="", gpu_raw_name=str(gpu), gpu_count=counted[0],
        gpu_memory_gb=counted[1], gpu_fraction=counted[2],
        gpu_vendor=(plan.get("gpu_brand") or "").lower() or None,
        vcpus=number(plan.get("vcpu_count")), memory_gb=_mib_to_gb(plan.get("ram")),
        disk_gb=_disk_gb(plan), price_usd_per_hour=1.0, spot=False, source=source,
    )
    _per_location(plan, [(False, number(plan.get("hourly_cost")))], template, result)


def _parse_metal_plan(plan: dict[str, Any], source: str, result: FetchResult) -> None:
    plan_id = str(plan.get("id") or "")
    named = _METAL_ID.search(plan_id)
    if not named:
        result.skip("CPU only")
        return
    template = RawOffer(
        instance_type=plan_id, region="", gpu_raw_name=named.group(2).upper(),
        gpu_count=int(named.group(1) or 1), vcpus=number(plan.get("cpu_threads")),
        memory_gb=_mib_to_gb(plan.get("ram")), disk_gb=_disk_gb(plan), price_usd_per_hour=1.0,
        spot=False, source=source,
    )
    prices = [(False, number(plan.get("hourly_cost"))),
              (True, number(plan.get("hourly_cost_preemptible")))]
    _per_location(plan, prices, template, result)


def _per_location(plan: dict[str, Any], prices: list[tuple[bool, float | None]],
                  template: RawOffer, result: FetchResult) -> None:
    priced = [(spot, price) for spot, price in prices if price and price > 0]
    locations = [loc for loc in plan.get("locations") or [] if loc]
    if not priced:
        log.info("vultr-api: skipping %s without price", template.instance_type)
        result.skip("no price")
    elif not locations:
        result.skip("no location")
    for location in locations if priced else []:
        for spot, price in priced:
            result.offers.append(replace(template, region=location, spot=spot,
                                         price_usd_per_hour=price))


def _gpus_in(model: str, vram: float | None) -> tuple[int, float | None, float] | None:
    """(GPU count, memory per GPU, share of one GPU) of a plan's total VRAM; None when it is
    neither whole GPUs nor a share of one. A plan with less VRAM than the family's largest
    model is that share of it (Vultr slices the A100 80GB: 4 GB is 1/20)."""
    known = gpu_identify(model)
    sizes = [GPU_SPECS[n].memory_gb for n in gpu_family_members(known.name)] if known else []
    largest = max((m for m in sizes if m), default=None)
    if vram is None or largest is None:
        return 1, vram, 1.0
    if vram <= largest * 1.1:  # one GPU, or a slice of one
        return 1, vram, round(vram / largest, 4) if vram < largest else 1.0
    count = vram / largest
    return (round(count), largest, 1.0) if abs(count - round(count)) < 0.01 else None


def _mib_to_gb(value: object) -> float | None:
    mib = number(value)
    return round(mib / 1024, 2) if mib else None


def _disk_gb(plan: dict[str, Any]) -> float | None:
    disk = number(plan.get("disk"))
    return disk * (number(plan.get("disk_count")) or 1) if disk is not None else None
