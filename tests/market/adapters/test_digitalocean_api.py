"""DigitalOcean's sizes, replayed from the recorded payload through a local server."""

from __future__ import annotations

import pytest

from market.adapters.base import ProviderError, ProviderUnavailable
from market.adapters.digitalocean_api import DigitalOceanApi
from tests.market.adapters.samples import fetched, offer_rows, sample
from tests.support.payloads import Reply, serve_payloads

SAMPLE = sample("digitalocean/sizes_gpuhunt-0.1.34.json")
ROUTE = "GET /v2/sizes"
TOKEN = "dop_v1_test_token_0001"
FIELDS = ("instance_type", "region", "gpu_raw_name", "gpu_count", "gpu_memory_gb", "vcpus",
          "memory_gb", "disk_gb", "price_usd_per_hour", "spot", "gpu_detail")


def _adapter(url: str, key: str | None = TOKEN) -> DigitalOceanApi:
    return DigitalOceanApi(api_key=key, base_url=url + "/v2")


def test_gpu_sizes_give_one_offer_per_region_with_per_gpu_vram() -> None:
    with serve_payloads({ROUTE: SAMPLE}) as server:
        result = fetched(_adapter(server.url))
    # vram 640 GiB / 8 GPUs = 80; 1536 / 8 = 192; memory 1966080 MiB = 1920 GB;
    # disk = the 2046 GiB local disk, the 40960 GiB scratch disk left out.
    assert offer_rows(result, *FIELDS) == [
        ("gpu-h100x8-640gb", "nyc1", "nvidia_h100", 8, 80.0, 160, 1920.0, 2046, 23.92, False,
         "H100 GPU - 8X"),
        ("gpu-mi300x8-1536gb", "nyc1", "amd_mi300x", 8, 192.0, 160, 1920.0, 2046, 15.92, False,
         "AMD MI300X - 8X"),
    ]
    assert result.skipped == {"CPU only": 2}
    (request,) = server.seen
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.path == "/v2/sizes?page=1&per_page=200"


def test_next_page_is_followed_on_our_own_base_url() -> None:
    first = {**SAMPLE, "links": {"pages": {
        "next": "https://api.digitalocean.com/v2/sizes?page=2&per_page=200"}}}
    second = {"sizes": [{**SAMPLE["sizes"][2], "slug": "gpu-h100x1-80gb", "regions": ["tor1"]}],
              "links": {}}
    routes = {"GET /v2/sizes?page=1&per_page=200": first,
              "GET /v2/sizes?page=2&per_page=200": second}
    with serve_payloads(routes) as server:
        result = fetched(_adapter(server.url))
    assert [s.path for s in server.seen] == list(p.split(" ", 1)[1] for p in routes)
    assert {(o.instance_type, o.region) for o in result.offers} >= {("gpu-h100x1-80gb", "tor1")}


def test_unavailable_size_is_skipped() -> None:
    body = {"sizes": [{**SAMPLE["sizes"][2], "regions": []},
                      {**SAMPLE["sizes"][3], "available": False}], "links": {}}
    with serve_payloads({ROUTE: body}) as server:
        result = fetched(_adapter(server.url))
    assert result.offers == [] and result.skipped == {"not available": 2}


def test_missing_token_is_no_key(monkeypatch) -> None:
    monkeypatch.delenv("DIGITALOCEAN_TOKEN", raising=False)
    with serve_payloads({ROUTE: SAMPLE}) as server, pytest.raises(ProviderUnavailable) as caught:
        fetched(_adapter(server.url, key=None))
    assert caught.value.status == "no_key" and "DIGITALOCEAN_TOKEN" in str(caught.value)
    assert server.seen == []


@pytest.mark.parametrize(("reply", "error"), [
    (Reply({"id": "server_error", "message": "Server Error"}, 500), ProviderError),
    (Reply({"id": "unauthorized", "message": "Unable to authenticate you"}, 401),
     ProviderError),
    (Reply({"id": "not_found", "message": "odd"}), ProviderError),
    (Reply("gateway"), ProviderError),
])
def test_failures_raise(reply: Reply, error: type[Exception]) -> None:
    with serve_payloads({ROUTE: reply}) as server, pytest.raises(error):
        fetched(_adapter(server.url))


def test_offers_normalize_to_canonical_gpus_and_the_region_country() -> None:
    from market.normalize.offers import offers_normalized

    with serve_payloads({ROUTE: SAMPLE}) as server:
        result = fetched(_adapter(server.url))
    batch = offers_normalized(provider="do-api", raw_offers=result.offers)
    rows = sorted((v.gpu_name, v.gpu_memory_gb, v.country, v.price_per_gpu_hour)
                  for v in batch.offers.values())
    assert rows == [("H100", 80.0, "US", 2.99), ("MI300X", 192.0, "US", 1.99)]
