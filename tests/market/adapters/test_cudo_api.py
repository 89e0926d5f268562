"""Cudo Compute's machine types, replayed from the recorded payload through a local server."""

from __future__ import annotations

import pytest

from market.adapters.base import PayloadRejected, ProviderError
from market.adapters.cudo_api import CudoApi
from tests.market.adapters.samples import fetched, offer_rows, sample
from tests.support.payloads import Reply, serve_payloads

# The recorded list; the real body wraps it in {"machineTypes": [...]} (sample README).
MACHINES = sample("cudo/machine-types_gpuhunt-0.1.25.json")
ROUTE = "GET /v1/vms/machine-types-2"
FIELDS = ("instance_type", "region", "gpu_raw_name", "gpu_count", "vcpus", "memory_gb",
          "disk_gb", "price_usd_per_hour")


def _adapter(url: str) -> CudoApi:
    return CudoApi(base_url=url + "/v1")


def _price(machine: dict, gpus: int, vcpus: int, memory: int) -> float:
    """The composed price, from the payload's unit prices (100 GiB disk, one IPv4)."""
    unit = {k: float(machine[k]["value"]) for k in ("gpuPriceHr", "vcpuPriceHr",
                                                     "memoryGibPriceHr",
                                                     "minStorageGibPriceHr", "ipv4PriceHr")}
    return round(gpus * unit["gpuPriceHr"] + vcpus * unit["vcpuPriceHr"]
                 + memory * unit["memoryGibPriceHr"] + 100 * unit["minStorageGibPriceHr"]
                 + unit["ipv4PriceHr"], 6)


def test_each_free_gpu_count_gives_the_smallest_vm_the_ratios_allow() -> None:
    with serve_payloads({ROUTE: {"machineTypes": MACHINES}}) as server:
        result = fetched(_adapter(server.url))
    rtx3080, a5000 = MACHINES
    # RTX 3080: maxGpuFree 5, 1 vCPU per GPU at least, vCPU/GiB between 0.25 and 1:
    # at least 2 vCPUs and 8 GiB (gpuhunt's minimums). A5000: maxGpuFree 4, and 8 GiB needs
    # 8 x 0.259109 -> 3 vCPUs at least.
    expected = [(f"cascade-lake-{n}xnvidia-rtx-3080", "br-saopaulo-1", "RTX 3080", n,
                 max(2, n), 8, 100, _price(rtx3080, n, max(2, n), 8)) for n in range(1, 6)]
    expected += [(f"epyc-rome-rtx-a5000-{n}xnvidia-rtx-a5000", "no-luster-1", "RTX A5000", n,
                  max(3, n), 8, 100, _price(a5000, n, max(3, n), 8)) for n in range(1, 5)]
    assert offer_rows(result, *FIELDS) == sorted(expected)
    # 1x RTX 3080: 0.05 + 2 x 0.0025 + 8 x 0.0038 + 100 x 0.00013 + 0.0055 = 0.1039
    assert _price(rtx3080, 1, 2, 8) == 0.1039
    assert server.seen[0].headers.get("authorization") is None  # keyless


def test_a_type_without_free_gpus_or_a_gpu_is_skipped_and_counted() -> None:
    sold_out = {**MACHINES[0], "maxGpuFree": 0}
    cpu = {**MACHINES[1], "gpuModel": "", "gpuModelId": ""}
    with serve_payloads({ROUTE: {"machineTypes": [sold_out, cpu]}}) as server:
        result = fetched(_adapter(server.url))
    assert result.offers == [] and result.skipped == {"no GPU free": 1, "CPU only": 1}


@pytest.mark.parametrize(("reply", "error"), [
    (Reply({"code": 13, "message": "internal"}, 500), ProviderError),
    (Reply({"machineTypes": [{k: v for k, v in MACHINES[0].items() if k != "gpuPriceHr"}]}),
     PayloadRejected),
    (Reply({"machine_types": MACHINES}), PayloadRejected),
])
def test_failures_raise(reply: Reply, error: type[Exception]) -> None:
    with serve_payloads({ROUTE: reply}) as server, pytest.raises(error):
        fetched(_adapter(server.url))
