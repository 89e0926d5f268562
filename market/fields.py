"""The one table of offer fields and filter parameters.

Every place that names an offer field derives it from here: the model's field list (a test
compares them), the offer index's columns, ``OfferOut`` and ``OfferFilterIn``, the fields a
sync delta carries, the ``q=`` names and aliases, and the CLI's flags. A new field is one row
in ``OFFER_FIELDS`` (plus a model field and its migration when it is stored); a new filter
parameter is one row in ``FILTER_PARAMS``.

Kinds: ``text``, ``texts`` (a list of text), ``number`` (float), ``count`` (a number written
as an integer when whole: ``8``, never ``8.0``), ``flag`` (bool), ``time`` (ISO 8601), ``id``.
A field with ``filter=True`` can be tested in ``q=`` (``text``: ``= != in notin``, numbers:
``< <= > >= = !=``, ``flag``: ``= !=``) and sorted on when it is a number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Kind = Literal["text", "texts", "number", "count", "flag", "time", "id"]
Origin = Literal["source", "store", "derived"]
NUMBER_KINDS = ("number", "count")
_TYPES: dict[str, Any] = {"text": str, "texts": list[str], "number": float,
                          "count": int | float, "flag": bool, "time": datetime, "id": int}


@dataclass(frozen=True)
class OfferField:
    """One field of an offer as the API shows it.

    ``origin``: ``source`` fields come from normalization (``NormalizedOffer``), ``store``
    fields from the store (id, fetched_at, stale), ``derived`` ones are computed on reading
    (never stored). ``delta``: carried by sync deltas (default: every filterable field).
    """

    name: str
    kind: Kind
    help: str
    unit: str = ""
    nullable: bool = False
    filter: bool = False
    aliases: tuple[str, ...] = ()
    origin: Origin = "source"
    delta: bool | None = None

    @property
    def annotation(self) -> Any:
        base = _TYPES[self.kind]
        return base | None if self.nullable else base

    @property
    def in_delta(self) -> bool:
        return self.filter if self.delta is None else self.delta

    @property
    def description(self) -> str:
        return f"{self.help} ({self.unit})" if self.unit else self.help


F = OfferField
OFFER_FIELDS: tuple[OfferField, ...] = (
    F("id", "id", "stored offer id", origin="store", delta=False),
    F("provider", "text", "provider: a catalog cloud (aws) or a live API (lambda-api)",
      filter=True),
    F("instance_type", "text", "instance type as the provider names it", filter=True,
      aliases=("instance",)),
    F("region", "text", "region as the provider names it", filter=True),
    F("zones", "texts", "zones of the region selling it (the offer has their lowest price)"),
    F("country", "text", "ISO 3166 country code of the region", nullable=True, filter=True,
      aliases=("geolocation",)),
    F("continent", "text", "continent code of the region (NA, SA, EU, AS, AF, OC)",
      nullable=True, filter=True),
    F("gpu_name", "text", "canonical GPU name (GET /api/v2/math/gpus); null when unknown",
      nullable=True, filter=True, aliases=("gpu", "gpu_type")),
    F("gpu_raw_name", "text", "GPU name as the source wrote it", delta=True),
    F("gpu_vendor", "text", "accelerator vendor (nvidia, amd, google, aws, intel …)",
      nullable=True, filter=True, aliases=("vendor",)),
    F("gpu_kind", "text", "gpu, tpu, asic or fpga", nullable=True, filter=True,
      aliases=("kind",)),
    F("gpu_count", "count", "accelerators in the instance", filter=True,
      aliases=("num_gpus", "gpus")),
    F("gpu_fraction", "number", "share of one physical GPU each accelerator is: 1 a whole GPU, "
      "0.5 half of one (a MIG slice, a vGPU, a shared GPU); offers under 1 are left out unless "
      "a filter lets them in (fractional=true)", filter=True, aliases=("fraction",)),
    F("fractional", "flag", "a share of one GPU (gpu_fraction < 1)", filter=True,
      origin="derived"),
    F("gpu_memory_gb", "number", "memory per accelerator (of the share, for a fractional GPU)",
      unit="GB", nullable=True,
      filter=True, aliases=("gpu_ram", "gpu_memory", "vram")),
    F("total_gpu_memory_gb", "number", "memory of all accelerators", unit="GB",
      nullable=True, filter=True, aliases=("total_gpu_ram", "total_vram"), origin="derived"),
    F("vcpus", "count", "virtual CPUs", nullable=True, filter=True, aliases=("cpu", "cpus")),
    F("memory_gb", "number", "instance memory", unit="GB", nullable=True, filter=True,
      aliases=("cpu_ram", "ram", "memory")),
    F("disk_gb", "number", "instance disk", unit="GB", nullable=True, filter=True,
      aliases=("disk", "disk_space")),
    F("price_per_hour", "number", "price of the whole instance", unit="USD per hour",
      filter=True, aliases=("price", "dph")),
    F("price_per_gpu_hour", "number", "price per accelerator", unit="USD per GPU-hour",
      filter=True, aliases=("price_per_gpu",)),
    F("spot", "flag", "spot (interruptible) price", filter=True, aliases=("interruptible",)),
    F("available_count", "count", "instances of this offer that can be started now, as the "
      "source counts them; null when the source does not say", nullable=True, filter=True,
      aliases=("availability", "available")),
    F("source", "text", "where the price comes from: a catalog path relative to its root, "
      "an API URL, or the bundled snapshot"),
    F("fetched_at", "time", "when the source was last read (ISO 8601, UTC)", origin="store"),
    F("stale", "flag", "the provider's last sync failed: the last good price is shown",
      filter=True, origin="store", delta=False),
)
del F
FIELDS: dict[str, OfferField] = {f.name: f for f in OFFER_FIELDS}


@dataclass(frozen=True)
class FilterParam:
    """A filter parameter of ``GET /api/v2/providers/`` (and of saved searches, WebSocket
    subscriptions and ``gpubroker offers --<name>``): ``field op value``."""

    name: str
    field: str
    op: Literal["in", ">=", "<=", "="]
    help: str = ""

    @property
    def kind(self) -> Kind:
        return FIELDS[self.field].kind

    @property
    def description(self) -> str:
        return self.help or FIELDS[self.field].description


P = FilterParam
FILTER_PARAMS: tuple[FilterParam, ...] = (
    P("gpu", "gpu_name", "in", "GPU name, alias or family (A100 = 40 and 80 GB); repeat or "
                               "comma-separate"),
    P("provider", "provider", "in", "provider name(s)"),
    P("region", "region", "in", "region as the provider names it"),
    P("country", "country", "in", "ISO code or name (US, Germany)"),
    P("continent", "continent", "in", "NA, SA, EU, AS, AF, OC or the name"),
    P("vendor", "gpu_vendor", "in"),
    P("kind", "gpu_kind", "in"),
    P("min_gpu_count", "gpu_count", ">="),
    P("max_gpu_count", "gpu_count", "<="),
    P("min_gpu_memory_gb", "gpu_memory_gb", ">=", "per GPU, GB"),
    P("min_total_gpu_memory_gb", "total_gpu_memory_gb", ">=", "all GPUs together, GB"),
    P("min_vcpus", "vcpus", ">="),
    P("min_memory_gb", "memory_gb", ">=", "instance memory, GB"),
    P("min_disk_gb", "disk_gb", ">=", "instance disk, GB"),
    P("max_price", "price_per_hour", "<=", "USD per instance-hour"),
    P("max_price_per_gpu", "price_per_gpu_hour", "<=", "USD per GPU-hour"),
    P("spot", "spot", "=", "true: spot only; false: on-demand only; default both"),
    P("fractional", "fractional", "=", "true: fractional GPUs (MIG slices, vGPUs, shared "
                                       "GPUs) too; default: whole GPUs only"),
    P("min_available", "available_count", ">=", "instances that can be started now (offers "
                                                "whose source does not say never match)"),
)
del P
PARAMS: dict[str, FilterParam] = {p.name: p for p in FILTER_PARAMS}

# Derived name lists.
FILTER_FIELDS = tuple(f.name for f in OFFER_FIELDS if f.filter)
NUMERIC_FIELDS = tuple(f.name for f in OFFER_FIELDS if f.filter and f.kind in NUMBER_KINDS)
TEXT_FIELDS = tuple(f.name for f in OFFER_FIELDS if f.filter and f.kind == "text")
BOOL_FIELDS = tuple(f.name for f in OFFER_FIELDS if f.filter and f.kind == "flag")
ALIASES: dict[str, str] = {alias: f.name for f in OFFER_FIELDS for alias in f.aliases}
STORED_FIELDS = tuple(f.name for f in OFFER_FIELDS if f.origin != "derived")
SOURCE_FIELDS = tuple(f.name for f in OFFER_FIELDS if f.origin == "source")
DELTA_FIELDS = tuple(f.name for f in OFFER_FIELDS if f.in_delta)
# Columns of market.models.Offer to read (the provider is a foreign key: provider_id).
OFFER_COLUMNS = tuple("provider_id" if name == "provider" else name for name in STORED_FIELDS)


def offer_row(stored: Mapping[str, Any]) -> dict[str, Any]:
    """An offer in the API's shape from its stored values (``provider`` or ``provider_id``):
    derived fields computed, counts whole where they are whole."""
    row = {name: stored[name] for name in STORED_FIELDS if name != "provider"}
    row["provider"] = stored["provider"] if "provider" in stored else stored["provider_id"]
    memory, count = row["gpu_memory_gb"], row["gpu_count"]
    row["total_gpu_memory_gb"] = round(memory * count, 2) if memory else None
    row["fractional"] = fractional(row["gpu_fraction"])
    for name in ("gpu_count", "vcpus", "available_count"):
        row[name] = whole(row[name])
    return {name: row[name] for name in FIELDS}


def fractional(gpu_fraction: float | None) -> bool:
    """A share of one GPU; an offer that does not say (``None``) is whole GPUs."""
    return gpu_fraction is not None and gpu_fraction < 1


def whole(value: float | None) -> int | float | None:
    """``8.0`` → ``8``: a count that is whole is written as an integer."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value
