"""The catalog adapter on the real snapshot, read from disk and over a real local HTTP server."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import httpx
import pytest

from market.adapters.catalog import (
    SKIP_HOST_SPLIT,
    CatalogAdapter,
    catalog_adapters,
    parse_catalog,
    parse_gpu_info,
)
from tests.conftest import SHARED_DATA, SKYPILOT_DIR
from tests.support.http import serve_folder

CLOUDS = sorted(p.parent.name for p in SKYPILOT_DIR.glob("*/vms.csv"))


def _fetch(cloud: str) -> list:
    adapter = CatalogAdapter(cloud, str(SKYPILOT_DIR / cloud / "vms.csv"))
    with httpx.Client() as client:
        return adapter.fetch(client).offers


def test_snapshot_has_nineteen_clouds() -> None:
    adapters = catalog_adapters(catalog_dir=str(SKYPILOT_DIR), base_url="", clouds=[])
    assert [a.name for a in adapters] == CLOUDS
    assert len(CLOUDS) == 19


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_cloud_yields_offers(cloud: str) -> None:
    assert _fetch(cloud)


def test_vast_zero_spot_price_means_no_spot_offer() -> None:
    offers = _fetch("vast")
    assert offers and not any(o.spot for o in offers)


def test_primeintellect_sentinel_spot_price_means_no_spot_offer() -> None:
    assert not any(o.spot for o in _fetch("primeintellect"))


def test_aws_row_with_spot_price_yields_a_separate_spot_offer() -> None:
    p5 = [o for o in _fetch("aws") if o.instance_type == "p5.48xlarge" and o.region == "us-east-1"]
    assert {o.spot for o in p5} == {False, True}


def test_aws_rows_without_any_price_are_skipped_and_counted() -> None:
    text = (SKYPILOT_DIR / "aws" / "vms.csv").read_text()
    result = parse_catalog(text, source="aws")
    rows = list(csv.DictReader(text.splitlines()))
    unpriced = [r for r in rows if not r["Price"] and not r["SpotPrice"]]
    assert result.skipped == {"no price": len(unpriced)}
    assert not any(o.instance_type == "p5e.48xlarge" and not o.spot for o in result.offers)


@pytest.mark.parametrize(("text", "expected"), [
    ("{'Gpus': [{'Name': 'H100', 'Manufacturer': 'NVIDIA', 'Count': 8, "
     "'MemoryInfo': {'SizeInMiB': 81920}}], 'TotalGpuMemoryInMiB': 655360}",
     {"name": "H100", "vendor": "nvidia", "memory_gb": 80.0}),
    ("{'gpus': [{'name': 'h100', 'manufacturer': 'nvidia', 'count': 8.0, "
     "'memoryinfo': {'sizeinmib': 81559}}], 'totalgpumemoryinmib': 81559}",
     {"name": "h100", "vendor": "nvidia", "memory_gb": 79.65}),
    ('{"Gpus":[{"Name":"A100","Count":1,"MemoryInfo":{"SizeInMiB":81920}}],'
     '"TotalGpuMemoryInMiB":81920}', {"name": "A100", "vendor": None, "memory_gb": 80.0}),
    ("A100-80GB", {"name": "A100-80GB"}),
    ("", {}),
    ("{'Gpus': [{'Name': 'A30', 'Manufacturer': 'NVIDIA', 'Count': 1, "
     "'MemoryInfo': {'SizeInMiB': 0}}]}", {"name": "A30", "vendor": "nvidia", "memory_gb": None}),
])
def test_gpu_info_spellings(text: str, expected: dict) -> None:
    assert parse_gpu_info(text) == expected


def test_gcp_accelerator_only_rows_are_skipped_and_said_so() -> None:
    text = (SHARED_DATA / "catalogs" / "partial" / "gcp" / "vms.csv").read_text()
    result = parse_catalog(text, source="gcp")
    rows = sum(1 for _ in csv.DictReader(text.splitlines()))
    assert result.offers == []
    assert result.skipped == {SKIP_HOST_SPLIT: rows}
    assert "apart from their host VMs" in result.notes[0]


def test_runpod_zone_rows_keep_their_zones() -> None:
    zones = {o.zone for o in _fetch("runpod") if o.instance_type == "1x_A100-80GB_SECURE"}
    assert len(zones) > 1


def _mirror(tmp_path: Path, clouds: list[str]) -> Path:
    """The snapshot laid out like the upstream repository: <version>/<cloud>/vms.csv."""
    for cloud in clouds:
        target = tmp_path / "v7" / cloud
        target.mkdir(parents=True)
        shutil.copy(SKYPILOT_DIR / cloud / "vms.csv", target / "vms.csv")
    return tmp_path


def test_reading_over_http_equals_reading_from_disk(tmp_path: Path) -> None:
    clouds = ["lambda", "runpod", "vast"]
    with serve_folder(_mirror(tmp_path, clouds)) as base, httpx.Client() as client:
        remote = catalog_adapters(catalog_dir="", base_url=base, clouds=[f"{c}@v7" for c in clouds])
        assert [a.source for a in remote] == [f"{base}v7/{c}/vms.csv" for c in clouds]
        for adapter in remote:
            disk = _fetch(adapter.name)
            over_http = adapter.fetch(client).offers
            assert [(o.instance_type, o.price_usd_per_hour) for o in over_http] == \
                [(o.instance_type, o.price_usd_per_hour) for o in disk]


def test_http_error_raises_for_the_sync_to_catch(tmp_path: Path) -> None:
    with serve_folder(_mirror(tmp_path, ["vast"]), failures={"/v7/vast/vms.csv": 503}) as base, \
            httpx.Client() as client:
        adapter = catalog_adapters(catalog_dir="", base_url=base, clouds=["vast"])[0]
        with pytest.raises(httpx.HTTPStatusError):
            adapter.fetch(client)


def test_default_remote_clouds_cover_skypilot_catalog() -> None:
    adapters = catalog_adapters(catalog_dir="", base_url="https://example.invalid/catalogs",
                                clouds=[])
    names = {a.name for a in adapters}
    assert set(CLOUDS) <= names and "gcp" in names
    azure = next(a for a in adapters if a.name == "azure")
    assert azure.source == "https://example.invalid/catalogs/v6/azure/vms.csv"


@pytest.mark.parametrize(("cloud", "instance_type", "per_gpu_gb"), [
    ("vast", "2x-Tesla_V100-32-65536", 16.0),  # SizeInMiB 32768 for two GPUs
    ("primeintellect", "runpod__2xA100_80GB__16__234", 80.0),  # 163840 for two GPUs
    ("aws", "p5.48xlarge", 80.0),  # 81920 per GPU, as the format intends
])
def test_memory_is_per_gpu_whatever_the_cloud_wrote(cloud: str, instance_type: str,
                                                    per_gpu_gb: float) -> None:
    offers = [o for o in _fetch(cloud) if o.instance_type == instance_type]
    assert offers and {o.gpu_memory_gb for o in offers} == {per_gpu_gb}


def test_primeintellect_upstream_model_is_kept_as_detail() -> None:
    offer = next(o for o in _fetch("primeintellect")
                 if o.instance_type == "runpod__2xA100_80GB__32__250")
    assert "A100-SXM4-80GB" in offer.gpu_detail
