"""One offer per machine: the same Lambda machine, read from the catalog and from the live
API, is listed once, with the fresher (live) price, saying its source and when it was read."""

from __future__ import annotations

import csv
from datetime import datetime

import httpx
import pytest
from django.test import Client

from market.adapters.catalog import CatalogAdapter
from market.adapters.lambda_api import LambdaApi
from market.models import Offer
from market.services.sync import provider_sync
from tests.conftest import SKYPILOT_DIR
from tests.market.adapters.samples import sample
from tests.support.payloads import serve_payloads

pytestmark = pytest.mark.django_db
LAMBDA = sample("lambda/instance-types_terraform-provider-lambdalabs_fixture.json")
CATALOG = SKYPILOT_DIR / "lambda" / "vms.csv"
MACHINE = "instance_type=gpu_1x_a100 region=us-west-1 spot=false"


def _catalog_price() -> float:
    with open(CATALOG, encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle)
                   if (r["InstanceType"], r["Region"]) == ("gpu_1x_a100", "us-west-1"))
    return float(row["Price"])


def _sync_both(*, live_first: bool) -> None:
    with serve_payloads({"GET /api/v1/instance-types": LAMBDA}) as server, \
            httpx.Client() as client:
        adapters = [CatalogAdapter("lambda", str(CATALOG)),
                    LambdaApi(api_key="lambda_key", base_url=server.url + "/api/v1")]
        for adapter in reversed(adapters) if live_first else adapters:
            assert provider_sync(adapter=adapter, client=client).status == "ok"


def _machine() -> list[dict]:
    return Client().get("/api/v2/providers/", {"q": MACHINE}).json()["items"]


def test_the_same_lambda_offer_from_catalog_and_live_api_appears_once_with_the_live_price(
) -> None:
    _sync_both(live_first=False)
    live = Offer.objects.get(provider="lambda-api", instance_type="gpu_1x_a100")
    assert Offer.objects.filter(provider="lambda", instance_type="gpu_1x_a100",
                                region="us-west-1", spot=False).exists()  # both are stored
    (offer,) = _machine()
    cents = LAMBDA["data"]["gpu_1x_a100"]["instance_type"]["price_cents_per_hour"]
    assert offer["price_per_hour"] == cents / 100 != _catalog_price()
    assert offer["provider"] == "lambda-api" and offer["source"].endswith("/instance-types")
    read_at = datetime.fromisoformat(offer["fetched_at"].replace("Z", "+00:00"))
    assert abs((read_at - live.fetched_at).total_seconds()) < 0.001  # when the API was read
    # Every other catalog machine is still listed, once.
    catalog = Offer.objects.filter(provider="lambda").count()
    listed = Client().get("/api/v2/providers/", {"q": "provider in [lambda, lambda-api]",
                                                  "per_page": 1}).json()["total"]
    assert listed == catalog


def test_the_fresher_source_wins_whichever_it_is() -> None:
    _sync_both(live_first=True)  # the catalog was read last: its price is the fresher
    (offer,) = _machine()
    assert (offer["provider"], offer["price_per_hour"]) == ("lambda", _catalog_price())
