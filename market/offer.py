"""The offer's values: ``RawOffer`` (one priced row as a source wrote it, what every adapter
returns) and, after normalization, ``NormalizedOffer``: one shape for every provider."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class RawOffer:
    """One priced row of a source. ``None`` means the source did not say.

    Prices in USD per hour for the whole instance; memory in GB (GiB as the source gives it).
    """

    instance_type: str
    region: str
    gpu_raw_name: str
    gpu_count: float
    price_usd_per_hour: float
    spot: bool
    source: str
    zone: str | None = None
    gpu_memory_gb: float | None = None  # per GPU
    gpu_vendor: str | None = None
    gpu_detail: str = ""  # more specific model text the source gives ("NVIDIA A100-SXM4-80GB")
    vcpus: float | None = None
    memory_gb: float | None = None
    disk_gb: float | None = None
    gpu_fraction: float = 1.0  # share of one physical GPU each accelerator is (0.5: half)
    available_count: float | None = None  # instances startable now, as the source counts

    def __post_init__(self) -> None:
        if not self.price_usd_per_hour > 0:
            raise ValueError(f"price must be positive, got {self.price_usd_per_hour}")
        if not self.gpu_count > 0:
            raise ValueError(f"gpu_count must be positive, got {self.gpu_count}")
        _check_share(self.gpu_fraction, self.available_count)


OfferKey = tuple[str, str, bool]  # (instance_type, region, spot): one offer per provider


@dataclass(frozen=True)
class NormalizedOffer:
    """One offer in the shape every provider shares (``market.fields`` describes each field).

    ``None`` means the source did not say, never a guess. Built by ``market.normalize``;
    stored by the sync service, which adds ``id``, ``fetched_at`` and ``stale``.
    """

    provider: str
    instance_type: str
    region: str
    spot: bool
    zones: tuple[str, ...]
    country: str | None
    continent: str | None
    gpu_name: str | None
    gpu_raw_name: str
    gpu_vendor: str | None
    gpu_kind: str | None
    gpu_count: float
    gpu_fraction: float
    gpu_memory_gb: float | None
    vcpus: float | None
    memory_gb: float | None
    disk_gb: float | None
    price_per_hour: float
    price_per_gpu_hour: float
    available_count: float | None
    source: str

    def __post_init__(self) -> None:
        if not self.price_per_hour > 0:
            raise ValueError(f"price_per_hour must be positive, got {self.price_per_hour}")
        if not self.gpu_count > 0:
            raise ValueError(f"gpu_count must be positive, got {self.gpu_count}")
        if abs(self.price_per_gpu_hour * self.gpu_count - self.price_per_hour) > 1e-4 * max(
                1.0, self.price_per_hour):
            raise ValueError("price_per_gpu_hour must be price_per_hour / gpu_count")
        if list(self.zones) != sorted(set(self.zones)):
            raise ValueError("zones must be sorted and distinct")
        _check_share(self.gpu_fraction, self.available_count)

    @property
    def key(self) -> OfferKey:
        return (self.instance_type, self.region, self.spot)

    def stored_values(self) -> dict[str, Any]:
        """The model's column values (``provider`` apart: it is a foreign key)."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "provider"}
        values["zones"] = list(self.zones)
        return values


def _check_share(gpu_fraction: float, available_count: float | None) -> None:
    if not 0 < gpu_fraction <= 1:
        raise ValueError(f"gpu_fraction must be in (0, 1], got {gpu_fraction}")
    if available_count is not None and not available_count >= 0:
        raise ValueError(f"available_count must be 0 or more, got {available_count}")
