"""Expected offers computed straight from the snapshot CSVs, apart from the code under test.

Rules, from the catalog README: a row with an AcceleratorName and an InstanceType is an offer;
its Price gives an on-demand offer and its SpotPrice a spot offer, unless empty, 0 or
99999999; rows differing only by zone count once, at their lowest price.
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
    best[key] = Expected(provider, row["InstanceType"], row.get("Region") or "", spot,
                         row["AcceleratorName"], float(row["AcceleratorCount"]),
                         _float(row.get("vCPUs")), _float(row.get("MemoryGiB")), price)
