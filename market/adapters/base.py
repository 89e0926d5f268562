"""What every adapter returns: raw offers, as the source wrote them (units converted only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import httpx


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


@dataclass
class FetchResult:
    """Raw offers plus what the adapter skipped, by reason (``{"no price": 12}``)."""

    offers: list[RawOffer]
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


class Adapter(Protocol):
    """A source of offers. ``fetch`` raises on failure; the sync service catches it."""

    name: str
    kind: str  # "catalog" | "api"
    source: str

    def fetch(self, client: httpx.Client) -> FetchResult: ...


class ProviderUnavailable(Exception):
    """The provider cannot be asked (no key, disabled); ``status`` says which."""

    def __init__(self, status: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
