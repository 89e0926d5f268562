"""The offer's values: ``RawOffer`` (one priced row as a source wrote it, what every adapter
returns) and, after normalization, one shape for every provider."""

from __future__ import annotations

from dataclasses import dataclass


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

    def __post_init__(self) -> None:
        if not self.price_usd_per_hour > 0:
            raise ValueError(f"price must be positive, got {self.price_usd_per_hour}")
        if not self.gpu_count > 0:
            raise ValueError(f"gpu_count must be positive, got {self.gpu_count}")
