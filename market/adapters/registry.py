"""Every source of offers: the catalog's clouds plus live API adapters registered by name."""

from __future__ import annotations

from django.conf import settings

from market.adapters.base import Adapter
from market.adapters.catalog import catalog_adapters

# Live API adapters, by provider name: ``PROVIDERS["runpod"] = RunpodAdapter`` (none yet).
PROVIDERS: dict[str, type[Adapter]] = {}


def adapters_configured() -> list[Adapter]:
    """All sources the settings name, catalog clouds first."""
    adapters: list[Adapter] = list(catalog_adapters(
        catalog_dir=settings.GPUBROKER_CATALOG_DIR,
        base_url=settings.GPUBROKER_CATALOG_URL,
        clouds=settings.GPUBROKER_CATALOG_CLOUDS,
    ))
    adapters += [cls() for cls in PROVIDERS.values()]
    return adapters
