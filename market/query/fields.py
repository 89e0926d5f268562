"""The offer fields a query can filter and sort on, with the names users write for them."""

from __future__ import annotations

NUMERIC_FIELDS = (
    "price_per_hour", "price_per_gpu_hour", "gpu_count", "gpu_memory_gb", "total_gpu_memory_gb",
    "vcpus", "memory_gb", "disk_gb",
)
TEXT_FIELDS = ("provider", "gpu_name", "region", "country", "continent", "gpu_vendor",
               "gpu_kind", "instance_type")
BOOL_FIELDS = ("spot", "stale")

ALIASES = {
    "price": "price_per_hour", "dph": "price_per_hour", "price_per_gpu": "price_per_gpu_hour",
    "num_gpus": "gpu_count", "gpus": "gpu_count", "gpu_ram": "gpu_memory_gb",
    "gpu_memory": "gpu_memory_gb", "vram": "gpu_memory_gb", "total_gpu_ram": "total_gpu_memory_gb",
    "total_vram": "total_gpu_memory_gb", "cpu": "vcpus", "cpus": "vcpus", "cpu_ram": "memory_gb",
    "ram": "memory_gb", "memory": "memory_gb", "disk": "disk_gb", "disk_space": "disk_gb",
    "gpu": "gpu_name", "gpu_type": "gpu_name", "vendor": "gpu_vendor", "kind": "gpu_kind",
    "geolocation": "country", "instance": "instance_type", "interruptible": "spot",
}
ALL_FIELDS = NUMERIC_FIELDS + TEXT_FIELDS + BOOL_FIELDS


def field_canonical(name: str) -> str | None:
    """The field ``name`` means (aliases resolved), or None if there is no such field."""
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    return key if key in ALL_FIELDS else None
