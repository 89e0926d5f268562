"""Expected offers computed straight from the snapshot CSVs, apart from the code under test.

Rules, from the catalog README: a row with an AcceleratorName and an InstanceType is an offer;
its Price gives an on-demand offer and its SpotPrice a spot offer, unless empty, 0 or
99999999; rows differing only by zone count once, at their lowest price. An offer is a share of one
GPU (``fraction`` < 1) when its AcceleratorCount is under 1, or when it is a size the cloud's
documentation lists as a partial GPU (``PARTIAL_GPUS``, transcribed from that page).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Expected:
    provider: str
    instance_type: str
    region: str
    spot: bool
    accelerator: str
    count: float
    vcpus: float | None
    memory_gb: float | None
    price: float
    fraction: float = 1.0  # share of one GPU: queries leave offers under 1 out by default


# learn.microsoft.com/azure/virtual-machines/nvv4-series, "GPU" column: 1/8, 1/4, 1/2, 1.
PARTIAL_GPUS = {("azure", "Standard_NV4as_v4"): 1 / 8, ("azure", "Standard_NV8as_v4"): 1 / 4,
                ("azure", "Standard_NV16as_v4"): 1 / 2}


def _price(text: str | None) -> float | None:
    if not text:
        return None
    value = float(text)
    return value if 0 < value < 99999999 else None


def _float(text: str | None) -> float | None:
    return float(text) if text else None


def expected_offers(catalog_dir: Path) -> dict[tuple[str, str, str, bool], Expected]:
    best: dict[tuple[str, str, str, bool], Expected] = {}
    for path in sorted(catalog_dir.glob("*/vms.csv")):
        with path.open(newline="") as f:
            for row in csv.DictReader(f):
                for spot, column in ((False, "Price"), (True, "SpotPrice")):
                    _keep(best, path.parent.name, row, spot, _price(row.get(column)))
    return best


def _keep(best: dict, provider: str, row: dict, spot: bool, price: float | None) -> None:
    if price is None or not row.get("AcceleratorName") or not row.get("InstanceType"):
        return
    key = (provider, row["InstanceType"], row.get("Region") or "", spot)
    if key in best and best[key].price <= price:
        return
    count = float(row["AcceleratorCount"])
    fraction = count if count < 1 else PARTIAL_GPUS.get((provider, row["InstanceType"]), 1.0)
    best[key] = Expected(provider, row["InstanceType"], row.get("Region") or "", spot,
                         row["AcceleratorName"], max(count, 1.0),
                         _float(row.get("vCPUs")), _float(row.get("MemoryGiB")), price,
                         fraction)


def whole_gpus(expected: dict[tuple[str, str, str, bool], Expected]
               ) -> dict[tuple[str, str, str, bool], Expected]:
    """The offers a query shows by default: fractional GPUs left out."""
    return {k: e for k, e in expected.items() if e.fraction >= 1}
