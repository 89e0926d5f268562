"""GCP's catalog, whole offers: a machine type's host VM row plus its accelerator row.

Upstream (SkyPilot's ``gcp/vms.csv``) prices the two halves of a GPU machine type apart: a
host row (``a2-highgpu-1g``: vCPUs, memory, price, no accelerator) and an accelerator row
(no InstanceType: the price of ``AcceleratorCount`` GPUs). A machine type's offer is its host
row plus the accelerator row of the GPUs it carries, in the same zone, on-demand and spot
apart, as SkyPilot adds them. A zone missing either half gives no offer. GPUs that attach to
general-purpose n1 hosts (T4, V100, P100, P4) need a host choice the catalog does not make:
left out, and said so. TPU rows price a whole slice (``tpu-v5p-8``): each is one TPU offer.
``700.0`` in both price columns of some TPU rows is upstream's placeholder, not a price.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from market.adapters.base import FetchResult, RawOffer

# Machine-type prefix -> the accelerator it carries (SkyPilot's pairing; the count is in the
# name, "-8g", except g2, whose sizes are listed).
_ACCELERATORS = (
    (re.compile(r"^a2-(?:highgpu|megagpu)-(\d+)g$"), "A100"),
    (re.compile(r"^a2-ultragpu-(\d+)g$"), "A100-80GB"),
    (re.compile(r"^a3-(?:highgpu|edgegpu)-(\d+)g(?:-nolssd)?$"), "H100"),
    (re.compile(r"^a3-megagpu-(\d+)g$"), "H100-MEGA"),
    (re.compile(r"^a3-ultragpu-(\d+)g(?:-nolssd)?$"), "H200"),
    (re.compile(r"^a4-highgpu-(\d+)g$"), "B200"),
)
G2_L4 = {"g2-standard-4": 1, "g2-standard-8": 1, "g2-standard-12": 1, "g2-standard-16": 1,
         "g2-standard-32": 1, "g2-standard-24": 2, "g2-standard-48": 4, "g2-standard-96": 8}
N1_ATTACHED = frozenset({"T4", "V100", "P100", "P4", "K80", "V100-32GB"})
PLACEHOLDER_PRICE = 700.0
SKIP_N1 = "GPU attaches to an n1 host the catalog does not choose (T4, V100, P100, P4)"
SKIP_NO_HOST = "accelerator row without a host row of its machine type in that zone"
SKIP_NO_ACCELERATOR = "host row without the accelerator row of its GPUs in that zone"
SKIP_PLACEHOLDER = "placeholder price 700.0"
N1_NOTE = ("GPUs attached to n1 hosts (T4, V100, P100, P4) are left out: an offer needs a "
           "host VM choice the catalog does not make")

Row = dict[str, str]
AcceleratorKey = tuple[str, float, str]  # (name, count, zone)
OfferMaker = Callable[[Row, str, float, float, bool], RawOffer]  # row, name, count, price, spot
PriceReader = Callable[[str | None], float | None]


def machine_accelerator(machine_type: str) -> tuple[str, int] | None:
    """(accelerator name, count) a GCP GPU machine type carries, or None (not one)."""
    if machine_type in G2_L4:
        return "L4", G2_L4[machine_type]
    for pattern, name in _ACCELERATORS:
        if found := pattern.match(machine_type):
            return name, int(found.group(1))
    return None


def parse_gcp_rows(rows: list[Row], *, result: FetchResult, offer: OfferMaker,
                   price: PriceReader) -> None:
    """Whole GCP offers from ``rows`` (hosts, accelerators and TPUs, in any order).

    ``offer(row, name, count, price, spot)`` and ``price(text)`` are the catalog reader's.
    """
    accelerators: dict[AcceleratorKey, Row] = {}
    used: set[AcceleratorKey] = set()
    for row in rows:
        name = row.get("AcceleratorName", "")
        if not name or row.get("InstanceType"):
            continue
        if name.lower().startswith("tpu-"):
            _tpu(row, name, result, offer, price)
        elif name in N1_ATTACHED:
            result.skip(SKIP_N1)
        else:
            count = float(row.get("AcceleratorCount") or 0)
            accelerators.setdefault((name, count, row.get("AvailabilityZone", "")), row)
    for row in rows:
        carried = machine_accelerator(row.get("InstanceType", ""))
        if carried is None or row.get("AcceleratorName"):
            continue
        key = (carried[0], float(carried[1]), row.get("AvailabilityZone", ""))
        accelerator = accelerators.get(key)
        if accelerator is None:
            result.skip(SKIP_NO_ACCELERATOR)
            continue
        used.add(key)
        _whole(row, accelerator, carried, result, offer, price)
    unmatched = accelerators.keys() - used
    for _ in unmatched:
        result.skip(SKIP_NO_HOST)
    if result.skipped.get(SKIP_N1):
        result.notes.append(f"{N1_NOTE} ({result.skipped[SKIP_N1]} rows)")
    if unmatched:
        names = ", ".join(sorted({name for name, _, _ in unmatched}))
        result.notes.append(f"{len(unmatched)} accelerator rows ({names}) have no host row of "
                            "their machine type in the same zone, so no whole offer")


def _whole(host: Row, accelerator: Row, carried: tuple[str, int], result: FetchResult,
           offer: OfferMaker, price: PriceReader) -> None:
    name, count = carried
    merged = {**accelerator, "InstanceType": host["InstanceType"], "vCPUs": host.get("vCPUs", ""),
              "MemoryGiB": host.get("MemoryGiB", "")}
    for spot, column in ((False, "Price"), (True, "SpotPrice")):
        host_price, gpu_price = price(host.get(column)), price(accelerator.get(column))
        if host_price is None or gpu_price is None:
            if not spot:
                result.skip("no price")
            continue
        result.offers.append(offer(merged, name, count, round(host_price + gpu_price, 6), spot))


def _tpu(row: Row, name: str, result: FetchResult, offer: OfferMaker,
         price: PriceReader) -> None:
    read = [(spot, price(row.get(column))) for spot, column in
            ((False, "Price"), (True, "SpotPrice"))]
    priced = [(spot, value) for spot, value in read if value is not None]
    if any(value == PLACEHOLDER_PRICE for _, value in priced):
        result.skip(SKIP_PLACEHOLDER)
        return
    if not priced:
        result.skip("no price")
    for spot, value in priced:  # a TPU row is one whole slice, named by its accelerator
        result.offers.append(offer({**row, "InstanceType": name}, name, 1, value, spot))
