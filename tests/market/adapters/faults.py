"""Each live provider's recorded answer, and the same answer broken the ways the internet
breaks it: for the fault tests (tests/market/services/test_provider_faults.py).

A case names the adapter (built on a local server's URL), its good routes (recorded
payloads), the route a fault is put on, and two realistic bad answers made from the
recorded one: the list emptied and one field renamed. Routes absent from ``empty`` keep
their good answer.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from market.adapters.base import ApiAdapter
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
from tests.market.adapters.samples import sample


@dataclass(frozen=True)
class FaultCase:
    name: str
    make: Callable[[str], ApiAdapter]  # local server URL -> adapter
    routes: dict[str, Any]  # recorded answers
    route: str  # where timeouts, 5xx, 429 and truncated bodies go
    empty: dict[str, Any]  # routes answering an empty list
    renamed: dict[str, Any]  # routes answering with one field renamed

    def truncated(self) -> str:
        """The recorded body of ``route``, cut in the middle (a dropped connection)."""
        text = json.dumps(self.routes[self.route])
        return text[: len(text) // 2]


def renamed(body: Any, old: str, new: str) -> Any:
    """A deep copy of ``body`` with every ``old`` key renamed ``new``."""
    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {(new if k == old else k): walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value
    return walk(copy.deepcopy(body))


LAMBDA = sample("lambda/instance-types_terraform-provider-lambdalabs_fixture.json")
VAST = {"offers": sample("vastai/search-offers_raw_captured.json")}
RUNPOD = {"data": {"gpuTypes": [sample("runpod/gpuType_detail_runpod-docs.json")]}}
DO = sample("digitalocean/sizes_gpuhunt-0.1.34.json")
VULTR_PLANS = sample("vultr/plans_vcg_gpuhunt-0.1.34.json")
VULTR_METAL = sample("vultr/plans-metal_gpuhunt-0.1.34.json")
VERDA_TYPES = sample("verda/instance-types_gpuhunt-0.1.34.json")
VERDA_SPOT = sample("verda/instance-availability_spot_gpuhunt-0.1.34.json")
HOTAISLE_VM = sample("hotaisle/virtual_machines_available_gpuhunt-0.1.34.json")
HOTAISLE_BM = sample("hotaisle/bare_metal_available_gpuhunt-0.1.34.json")
JARVIS = sample("jarvislabs/server_meta_gpuhunt-0.1.34.json")
SHADEFORM = sample("shadeform/instances-types_docs-example.json")
CUDO = {"machineTypes": sample("cudo/machine-types_gpuhunt-0.1.25.json")}
# TensorDock: the recorded specs in the documented v0 envelope (see test_tensordock_api).
TENSORDOCK = {"hostnodes": {"host-1": {
    "location": {"country": "United States"},
    "specs": sample("tensordock/hostnode_specs_v0_gpuhunt-0.1.15.json")}}}
LINODE = json.loads((Path(__file__).parent / "payloads" / "linode" /
                     "types_gpu_akamai-docs.json").read_text(encoding="utf-8"))
# The OAuth2 client-credentials answer shape (no token answer was recorded).
VERDA_TOKEN = {"access_token": "verda-access-token", "token_type": "Bearer", "expires_in": 3600}

CASES: list[FaultCase] = [
    FaultCase(
        "lambda-api", lambda url: LambdaApi(api_key="lambda_key", base_url=url + "/api/v1"),
        {"GET /api/v1/instance-types": LAMBDA}, "GET /api/v1/instance-types",
        empty={"GET /api/v1/instance-types": {"data": {}}},
        renamed={"GET /api/v1/instance-types": renamed(LAMBDA, "price_cents_per_hour",
                                                       "price_cents")}),
    FaultCase(
        "vast-api", lambda url: VastApi(base_url=url + "/api/v0"),
        {"POST /api/v0/bundles/": VAST}, "POST /api/v0/bundles/",
        empty={"POST /api/v0/bundles/": {"offers": []}},
        renamed={"POST /api/v0/bundles/": renamed(VAST, "dph_base", "dph")}),
    FaultCase(
        "runpod-api", lambda url: RunpodApi(base_url=url),
        {"POST /graphql": RUNPOD}, "POST /graphql",
        empty={"POST /graphql": {"data": {"gpuTypes": []}}},
        renamed={"POST /graphql": renamed(RUNPOD, "id", "gpuTypeId")}),
    FaultCase(
        "do-api", lambda url: DigitalOceanApi(api_key="do_token", base_url=url + "/v2"),
        {"GET /v2/sizes": DO}, "GET /v2/sizes",
        empty={"GET /v2/sizes": {**DO, "sizes": []}},
        renamed={"GET /v2/sizes": renamed(DO, "price_hourly", "hourly_price")}),
    FaultCase(
        "vultr-api", lambda url: VultrApi(base_url=url + "/v2"),
        {"GET /v2/plans": VULTR_PLANS, "GET /v2/plans-metal": VULTR_METAL}, "GET /v2/plans",
        empty={"GET /v2/plans": {"plans": []}, "GET /v2/plans-metal": {"plans_metal": []}},
        renamed={"GET /v2/plans": renamed(VULTR_PLANS, "hourly_cost", "price_hourly")}),
    FaultCase(
        "verda-api", lambda url: VerdaApi(api_key="client-id:secret", base_url=url + "/v1"),
        {"POST /v1/oauth2/token": VERDA_TOKEN, "GET /v1/instance-types": VERDA_TYPES,
         "GET /v1/instance-availability": VERDA_SPOT}, "GET /v1/instance-types",
        empty={"GET /v1/instance-types": []},
        renamed={"GET /v1/instance-types": renamed(VERDA_TYPES, "price_per_hour", "price")}),
    FaultCase(
        "hotaisle-api",
        lambda url: HotAisleApi(api_key="acme:hotaisle_token", base_url=url + "/api"),
        {"GET /api/teams/acme/virtual_machines/available/": HOTAISLE_VM,
         "GET /api/teams/acme/bare_metal/available/": HOTAISLE_BM},
        "GET /api/teams/acme/virtual_machines/available/",
        empty={"GET /api/teams/acme/virtual_machines/available/": [],
               "GET /api/teams/acme/bare_metal/available/": []},
        renamed={"GET /api/teams/acme/virtual_machines/available/":
                 renamed(HOTAISLE_VM, "OnDemandPrice", "OnDemandPriceCents")}),
    FaultCase(
        "jarvislabs-api", lambda url: JarvisLabsApi(api_key="jl_key", base_url=url),
        {"GET /misc/server_meta": JARVIS}, "GET /misc/server_meta",
        empty={"GET /misc/server_meta": {**JARVIS, "server_meta": []}},
        renamed={"GET /misc/server_meta": renamed(JARVIS, "price_per_hour", "price")}),
    FaultCase(
        "shadeform-api", lambda url: ShadeformApi(api_key="sf_key", base_url=url + "/v1"),
        {"GET /v1/instances/types": SHADEFORM}, "GET /v1/instances/types",
        empty={"GET /v1/instances/types": {"instance_types": []}},
        renamed={"GET /v1/instances/types": renamed(SHADEFORM, "hourly_price", "price")}),
    FaultCase(
        "tensordock-api", lambda url: TensorDockApi(base_url=url + "/api/v0"),
        {"GET /api/v0/client/deploy/hostnodes": TENSORDOCK}, "GET /api/v0/client/deploy/hostnodes",
        empty={"GET /api/v0/client/deploy/hostnodes": {"hostnodes": {}}},
        renamed={"GET /api/v0/client/deploy/hostnodes": renamed(TENSORDOCK, "price", "cost")}),
    FaultCase(
        "cudo-api", lambda url: CudoApi(base_url=url + "/v1"),
        {"GET /v1/vms/machine-types-2": CUDO}, "GET /v1/vms/machine-types-2",
        empty={"GET /v1/vms/machine-types-2": {"machineTypes": []}},
        renamed={"GET /v1/vms/machine-types-2": renamed(CUDO, "gpuPriceHr", "gpuPrice")}),
    FaultCase(
        "linode-api", lambda url: LinodeApi(base_url=url + "/v4"),
        {"GET /v4/linode/types": LINODE}, "GET /v4/linode/types",
        empty={"GET /v4/linode/types": {**LINODE, "data": [], "results": 0}},
        renamed={"GET /v4/linode/types": renamed(LINODE, "price", "pricing")}),
]
