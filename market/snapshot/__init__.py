"""The bundled catalog snapshot: a first run that works offline.

``skypilot-catalog.tar.xz`` holds the accelerator rows of SkyPilot's public catalog as
retrieved on ``SNAPSHOT_DATE`` (real rows, the upstream text line for line; provenance with
the upstream commit of every file in ``provenance.json`` and ``README.md`` beside it).

When the configured catalog cannot be reached and the store is empty, ``serve`` and
``sync`` load these rows (``market.services.providers``); their offers' ``source`` names the
snapshot and its date, the providers' status is ``snapshot``, every offer page warns, and
the next successful network sync replaces them.
"""

from __future__ import annotations

import json
import tarfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx

from market.adapters.catalog import CatalogAdapter

HERE = Path(__file__).resolve().parent
BUNDLE = HERE / "skypilot-catalog.tar.xz"
PROVENANCE: dict[str, Any] = json.loads((HERE / "provenance.json").read_text(encoding="utf-8"))
SNAPSHOT_DATE: str = PROVENANCE["retrieved"]
SNAPSHOT_LABEL = f"bundled snapshot of {SNAPSHOT_DATE}"
SNAPSHOT_STATUS = "snapshot"


def snapshot_warning() -> str:
    return (f"prices from the {SNAPSHOT_LABEL} (the catalog could not be reached): they may be "
            "out of date; `gpubroker sync` replaces them once the network is back")


class SnapshotAdapter(CatalogAdapter):
    """One cloud of the bundled snapshot, read like a catalog file."""

    def __init__(self, name: str) -> None:
        super().__init__(name, location=f"{BUNDLE.name}:{name}/vms.csv",
                         source=f"{SNAPSHOT_LABEL}: {name}/vms.csv")

    def _read(self, client: httpx.Client) -> str:
        return _texts()[self.name]


def snapshot_clouds() -> list[str]:
    return sorted(_texts())


@lru_cache(maxsize=1)
def _texts() -> dict[str, str]:
    with tarfile.open(BUNDLE, mode="r:xz") as tar:
        return {m.name.split("/")[0]: _member_text(tar, m) for m in tar.getmembers()
                if m.isfile() and m.name.endswith("/vms.csv")}


def _member_text(tar: tarfile.TarFile, member: tarfile.TarInfo) -> str:
    file = tar.extractfile(member)
    assert file is not None
    return file.read().decode("utf-8")
