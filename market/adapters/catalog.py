"""Public price catalogs in SkyPilot's format: ``<cloud>/vms.csv``, one provider per cloud.

Columns are read by header name (their order differs between files): InstanceType,
AcceleratorName, AcceleratorCount, vCPUs, MemoryGiB, GpuInfo, Price, SpotPrice, Region,
AvailabilityZone, StorageGiB. Rows with an AcceleratorName become offers; a real SpotPrice
yields a separate spot offer. Source quirks handled here: empty prices, ``0.00`` and
``99999999`` meaning "none", GpuInfo written as a Python dict, JSON, lowercase keys or a
bare name. Upstream's GCP catalog prices accelerators apart from their host VMs (rows with an
empty InstanceType): the ``gcp`` cloud adds the two halves (``catalog_gcp``), reading a
``hosts.csv`` beside a local ``vms.csv`` too; in any other cloud such rows are skipped and
counted, never priced as whole offers.
"""

from __future__ import annotations

import ast
import csv
import functools
import io
import json
import math
from pathlib import Path
from typing import Any

import httpx

from market.adapters.base import FetchResult, RawOffer
from market.adapters.catalog_gcp import parse_gcp_rows
from market.normalize.instance_families import instance_share

DEFAULT_URL = "https://raw.githubusercontent.com/skypilot-org/skypilot-catalog/master/catalogs/"
DEFAULT_VERSION = "v7"
# Clouds of SkyPilot's public catalog, with the schema version that carries each one.
DEFAULT_CLOUDS: dict[str, str] = {
    **{c: "v7" for c in ("aws", "gcp", "lambda", "runpod", "vast", "cudo", "nebius", "hyperbolic",
                         "primeintellect", "seeweb", "shadeform", "simplepod", "mithril")},
    **{c: "v6" for c in ("azure", "do", "fluidstack", "oci", "ovhcloud", "paperspace",
                         "scaleway")},
}
NO_PRICE_SENTINEL = 99_999_999.0
# Clouds whose GpuInfo SizeInMiB is the memory of all the row's GPUs, not of one (seen in the
# data: a Prime Intellect 2x A100 80GB row gives 163840 MiB; Vast rows give Size == Total).
TOTAL_MEMORY_CLOUDS = frozenset({"primeintellect", "vast"})
SKIP_HOST_SPLIT = "accelerator priced apart from its host VM (empty InstanceType)"


class CatalogAdapter:
    """One cloud of a catalog, read from ``location``: a local file or an HTTP(S) URL.

    ``source`` is what its offers say they come from: the URL, or for a local file its path
    relative to the catalog root (``aws/vms.csv``), never a path of this machine.
    """

    kind = "catalog"

    def __init__(self, name: str, location: str, source: str | None = None) -> None:
        self.name = name
        self.location = location
        self.source = source or location

    def fetch(self, client: httpx.Client) -> FetchResult:
        return parse_catalog(self._read(client), source=self.source, cloud=self.name,
                             extra=self._hosts())

    def _read(self, client: httpx.Client) -> str:
        if self.location.startswith(("http://", "https://")):
            response = client.get(self.location)
            response.raise_for_status()
            return response.text
        return Path(self.location).read_text(encoding="utf-8")

    def _hosts(self) -> tuple[str, ...]:
        """GCP's host VM rows kept apart in a ``hosts.csv`` beside a local ``vms.csv``."""
        if self.name != "gcp" or self.source.startswith(("http://", "https://")):
            return ()
        hosts = Path(self.source).with_name("hosts.csv")
        return (hosts.read_text(encoding="utf-8"),) if hosts.is_file() else ()


def catalog_adapters(*, catalog_dir: str, base_url: str, clouds: list[str]) -> list[CatalogAdapter]:
    """Adapters for every cloud: the folders of ``catalog_dir`` if set, else ``clouds`` at URL.

    ``clouds`` entries are ``name`` or ``name@version`` (default: SkyPilot's list).
    """
    if catalog_dir:
        root = Path(catalog_dir)
        return [CatalogAdapter(p.parent.name, str(p), source=p.relative_to(root).as_posix())
                for p in sorted(root.glob("*/vms.csv"))]
    wanted = _parse_clouds(clouds) if clouds else DEFAULT_CLOUDS
    base = base_url.rstrip("/") + "/"
    return [CatalogAdapter(n, f"{base}{v}/{n}/vms.csv") for n, v in sorted(wanted.items())]


def _parse_clouds(clouds: list[str]) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for entry in clouds:
        name, _, version = entry.strip().partition("@")
        parsed[name] = version or DEFAULT_CLOUDS.get(name, DEFAULT_VERSION)
    return parsed


def parse_catalog(text: str, *, source: str, cloud: str = "",
                  extra: tuple[str, ...] = ()) -> FetchResult:
    """Offers of one cloud's ``vms.csv`` text (plus ``extra`` texts of the same columns)."""
    result = FetchResult(offers=[])
    rows = [{k.strip(): (v or "").strip() for k, v in row.items() if k}
            for part in (text, *extra) for row in csv.DictReader(io.StringIO(part))]
    if cloud == "gcp":
        parse_gcp_rows(rows, result=result, price=_price,
                       offer=lambda row, name, count, price, spot: _offer(
                           row, name, count, price, spot, source, cloud))
        return result
    for clean in rows:
        _parse_row(clean, source, cloud, result)
    if result.skipped.get(SKIP_HOST_SPLIT):
        result.notes.append(
            f"{result.skipped[SKIP_HOST_SPLIT]} accelerator rows skipped: this catalog prices "
            "accelerators apart from their host VMs, and combining them is not supported yet"
        )
    return result


def _parse_row(row: dict[str, str], source: str, cloud: str, result: FetchResult) -> None:
    name = row.get("AcceleratorName", "")
    if not name:
        return  # a CPU-only row: not an accelerator offer
    if not row.get("InstanceType"):
        result.skip(SKIP_HOST_SPLIT)
        return
    count = _number(row.get("AcceleratorCount"))
    if count is None or count <= 0:
        result.skip("no accelerator count")
        return
    prices = [(False, _price(row.get("Price"))), (True, _price(row.get("SpotPrice")))]
    priced = [(spot, price) for spot, price in prices if price is not None]
    if not priced:
        result.skip("no price")
    for spot, price in priced:
        result.offers.append(_offer(row, name, count, price, spot, source, cloud))


def _offer(row: dict[str, str], name: str, count: float, price: float, spot: bool,
           source: str, cloud: str) -> RawOffer:
    info = parse_gpu_info(row.get("GpuInfo", ""))
    memory = info.get("memory_gb")
    if memory and cloud in TOTAL_MEMORY_CLOUDS:
        memory = round(memory / max(count, 1.0), 2)  # a share's total is the share's own
    details = (info.get("name"), row.get("UpstreamCloudId"))
    fraction, memory = _share(row["InstanceType"], count, memory)
    return RawOffer(
        instance_type=row["InstanceType"],
        region=row.get("Region", ""),
        zone=row.get("AvailabilityZone") or None,
        gpu_raw_name=name,
        gpu_count=max(count, 1.0),
        gpu_fraction=fraction,
        gpu_memory_gb=memory,
        gpu_vendor=info.get("vendor"),
        gpu_detail=" ".join(d for d in details if d and d != name),
        vcpus=_number(row.get("vCPUs")),
        memory_gb=_number(row.get("MemoryGiB")),
        disk_gb=_number(row.get("StorageGiB")),
        price_usd_per_hour=price,
        spot=spot,
        source=source,
    )


def _share(instance_type: str, count: float, memory: float | None) -> tuple[float, float | None]:
    """(share of one GPU, memory of that share): an ``AcceleratorCount`` under 1 is a share of
    one GPU (0.125: an eighth); a partial GPU the cloud documents (Azure NVv4) is written as
    one GPU, so its share and memory come from ``instance_families``."""
    if count < 1:
        return count, memory  # the memory the row gives is the share's (``_offer``)
    share = instance_share(instance_type)
    return (share.fraction, share.memory_gb) if share else (1.0, memory)


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def _price(text: str | None) -> float | None:
    """A price in USD/h, or None for the catalogs' "no price" spellings (empty, 0, 99999999)."""
    value = _number(text)
    if value is None or value <= 0 or value >= NO_PRICE_SENTINEL:
        return None
    return round(value, 6)  # drops float noise such as 0.30979999999999996


@functools.lru_cache(maxsize=4096)
def _parse_gpu_info_cached(text: str) -> tuple[tuple[str, Any], ...]:
    return tuple(_parse_gpu_info(text).items())


def parse_gpu_info(text: str) -> dict[str, Any]:
    """GpuInfo → ``{"name", "vendor", "memory_gb"}`` (per GPU), whichever the text gives."""
    return dict(_parse_gpu_info_cached(text))


def _parse_gpu_info(text: str) -> dict[str, Any]:
    data = _gpu_info_dict(text)
    gpus = data.get("gpus") if isinstance(data, dict) else None
    if not isinstance(gpus, list) or not gpus or not isinstance(gpus[0], dict):
        return {"name": text} if text and not text.startswith("{") else {}
    gpu = gpus[0]
    memory = gpu.get("memoryinfo", {}).get("sizeinmib") if isinstance(gpu.get("memoryinfo"),
                                                                         dict) else None
    memory_mib = _number(str(memory)) if memory is not None else None
    return {
        "name": gpu.get("name"),
        "vendor": str(gpu["manufacturer"]).lower() if gpu.get("manufacturer") else None,
        "memory_gb": round(memory_mib / 1024, 2) if memory_mib else None,
    }


def _gpu_info_dict(text: str) -> Any:
    if not text.startswith("{"):
        return {}
    for parse in (json.loads, ast.literal_eval):
        try:
            return _lower_keys(parse(text))
        except (ValueError, SyntaxError):
            continue
    return {}


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value
