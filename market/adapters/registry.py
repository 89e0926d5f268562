"""Every source of offers: the catalog's clouds plus the live provider APIs, by name.

A live API is its own provider, named ``<company>-api`` so that it never collides with the
catalog cloud of the same company (``lambda`` is the catalog, ``lambda-api`` the live API).
"""

from __future__ import annotations

from django.conf import settings

from market.adapters.base import Adapter, ApiAdapter
from market.adapters.catalog import catalog_adapters
from market.adapters.cudo_api import CudoApi
from market.adapters.digitalocean_api import DigitalOceanApi
from market.adapters.hotaisle_api import HotAisleApi
from market.adapters.jarvislabs_api import JarvisLabsApi
from market.adapters.lambda_api import LambdaApi
from market.adapters.linode_api import LinodeApi
from market.adapters.runpod_api import RunpodApi
from market.adapters.shadeform_api import ShadeformApi
from market.adapters.tensordock_api import TensorDockApi
from market.adapters.vastai_api import VastApi
from market.adapters.verda_api import VerdaApi
from market.adapters.vultr_api import VultrApi

# Live API adapters, by provider name.
PROVIDERS: dict[str, type[ApiAdapter]] = {
    cls.NAME: cls for cls in (LambdaApi, VastApi, RunpodApi, DigitalOceanApi, VultrApi,
                              VerdaApi, HotAisleApi, JarvisLabsApi, ShadeformApi, TensorDockApi,
                              CudoApi, LinodeApi)
}


def adapters_configured() -> list[Adapter]:
    """All sources: the catalog clouds the settings name, then every live API.

    Live APIs are listed whether or not they are opted in (``GPUBROKER_LIVE_PROVIDERS``):
    ``market.services.providers`` decides which are synced.
    """
    adapters: list[Adapter] = list(catalog_adapters(
        catalog_dir=settings.GPUBROKER_CATALOG_DIR,
        base_url=settings.GPUBROKER_CATALOG_URL,
        clouds=settings.GPUBROKER_CATALOG_CLOUDS,
    ))
    adapters += [cls() for cls in PROVIDERS.values()]
    return adapters
