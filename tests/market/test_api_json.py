"""The offers API's JSON: integers as integers, ISO 8601 timestamps, and a ``source`` that
never holds a path of this machine (a path relative to the catalog root, or the URL)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from tests.conftest import SKYPILOT_DIR

pytestmark = pytest.mark.django_db
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?\+00:00$")


@pytest.fixture(scope="module")
def page(synced_snapshot: Any, django_db_blocker: Any) -> bytes:
    with django_db_blocker.unblock():
        response = Client().get("/api/v2/providers/", {"q": "gpu_count>=8", "per_page": 500})
    assert response.status_code == 200
    return response.content


def test_counts_are_integers(page: bytes) -> None:
    assert b'"gpu_count":8.0' not in page and b'"gpu_count":8,' in page
    items = json.loads(page)["items"]
    assert all(isinstance(o["gpu_count"], int) for o in items)
    assert all(o["vcpus"] is None or isinstance(o["vcpus"], int) or not o["vcpus"].is_integer()
               for o in items)


def test_timestamps_are_iso_8601_utc(page: bytes) -> None:
    assert all(ISO_UTC.match(o["fetched_at"]) for o in json.loads(page)["items"])


def test_source_is_never_a_path_of_this_machine(page: bytes) -> None:
    assert str(SKYPILOT_DIR).encode() not in page and b'"source":"/' not in page
    for offer in json.loads(page)["items"]:
        assert offer["source"] == f"{offer['provider']}/vms.csv"
    providers = Client().get("/api/v2/providers/config").json()["providers"]
    catalog = [p for p in providers if p["kind"] == "catalog"]
    assert catalog and all(p["source"] == f"{p['name']}/vms.csv" for p in catalog)
