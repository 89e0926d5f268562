"""market.normalize.geo: every region in the shared catalogs has a place; hand-checked samples."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from market.normalize.geo import (
    COUNTRY_CONTINENT,
    Location,
    continent_code,
    country_code,
    region_location,
)
from tests.conftest import SHARED_DATA, SKYPILOT_DIR

PLACEHOLDERS = {"default", "UNSPECIFIED", ""}
# Regions whose country no documentation we have states; the continent is in the name.
CONTINENT_ONLY = {("lambda", "europe-south-1"): "EU"}


def _catalog_files() -> list[Path]:
    return [*sorted(SKYPILOT_DIR.glob("*/vms.csv")), SHARED_DATA / "catalogs/partial/gcp/vms.csv"]


def _catalog_regions() -> Iterator[tuple[str, str]]:
    for path in _catalog_files():
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                yield path.parent.name, row["Region"]


@pytest.fixture(scope="module")
def catalog_regions(shared_data: Path) -> set[tuple[str, str]]:
    return set(_catalog_regions())


def test_catalogs_cover_every_provider(catalog_regions: set[tuple[str, str]]) -> None:
    providers = {provider for provider, _ in catalog_regions}
    assert {"aws", "azure", "gcp", "oci", "runpod", "vast", "shadeform", "cudo"} <= providers
    assert len(providers) == 20


def test_every_catalog_region_is_placed(catalog_regions: set[tuple[str, str]]) -> None:
    failures = []
    for provider, region in sorted(catalog_regions):
        found = region_location(provider, region)
        if region in PLACEHOLDERS:
            expected_ok = found == Location(None, None)
        elif (provider, region) in CONTINENT_ONLY:
            expected_ok = found == Location(None, CONTINENT_ONLY[(provider, region)])
        else:
            expected_ok = found.country is not None and found.continent is not None
        if not expected_ok:
            failures.append(f"{provider}:{region!r} -> {found}")
    assert not failures, "\n".join(failures)


def test_vast_continent_agrees_with_country_table(catalog_regions: set[tuple[str, str]]) -> None:
    for provider, region in catalog_regions:
        if provider == "vast":
            stated = region.split(",")[-1].strip()
            assert region_location(provider, region).continent == stated, region


@pytest.mark.parametrize(
    ("provider", "region", "country", "continent"),
    [
        ("aws", "eu-central-1", "DE", "EU"),
        ("aws", "me-south-1", "BH", "AS"),
        ("aws", "ap-southeast-2", "AU", "OC"),
        ("aws", "af-south-1", "ZA", "AF"),
        ("aws", "sa-east-1", "BR", "SA"),
        ("aws", "us-west-2", "US", "NA"),
        ("gcp", "europe-west4", "NL", "EU"),
        ("gcp", "me-central2", "SA", "AS"),
        ("gcp", "southamerica-west1", "CL", "SA"),
        ("gcp", "asia-east1", "TW", "AS"),
        ("gcp", "us-south1", "US", "NA"),
        ("azure", "westus2", "US", "NA"),
        ("azure", "westeurope", "NL", "EU"),
        ("oci", "ap-tokyo-1", "JP", "AS"),
        ("oci", "me-dubai-1", "AE", "AS"),
        ("oci", "il-jerusalem-1", "IL", "AS"),
        ("oci", "uk-cardiff-1", "GB", "EU"),
        ("oci", "sa-vinhedo-1", "BR", "SA"),
        ("lambda", "me-west-1", "IL", "AS"),
        ("lambda", "australia-east-1", "AU", "OC"),
        ("lambda", "us-midwest-1", "US", "NA"),
        ("nebius", "eu-north1", "FI", "EU"),
        ("nebius", "eu-west1", "FR", "EU"),
        ("mithril", "us-central1-b", "US", "NA"),
        ("vast", "Texas, US, NA", "US", "NA"),
        ("vast", ", US, NA", "US", "NA"),
        ("vast", "St.-Petersburg, RU, EU", "RU", "EU"),
        ("vast", "Hong Kong, HK, AS", "HK", "AS"),
        ("runpod", "IS", "IS", "EU"),
        ("runpod", "EUR-IS-1", "IS", "EU"),
        ("runpod", "US-DE-1", "US", "NA"),
        ("primeintellect", "US - us-east-3", "US", "NA"),
        ("primeintellect", "AR - BUE", "AR", "SA"),
        ("primeintellect", "ZA - za-centurion-1", "ZA", "AF"),
        ("shadeform", "dallas-usa-1", "US", "NA"),
        ("shadeform", "frankfurt-germany-5", "DE", "EU"),
        ("shadeform", "melbourne-australia-1", "AU", "OC"),
        ("shadeform", "london-uk-1", "GB", "EU"),
        ("shadeform", "us-east-1", "US", "NA"),
        ("cudo", "se-stockholm-1", "SE", "EU"),
        ("cudo", "za-centurion-1", "ZA", "AF"),
        ("fluidstack", "UTAH_USA", "US", "NA"),
        ("fluidstack", "CANADA", "CA", "NA"),
        ("fluidstack", "FINLAND", "FI", "EU"),
        ("ovhcloud", "GRA", "FR", "EU"),
        ("ovhcloud", "BHS", "CA", "NA"),
        ("ovhcloud", "WAW", "PL", "EU"),
        ("ovhcloud", "LON", "GB", "EU"),
        ("ovhcloud", "FRA", "DE", "EU"),
        ("simplepod", "Europe-NO", "NO", "EU"),
        ("simplepod", "North America-CA", "CA", "NA"),
        ("paperspace", "East Coast (NY2)", "US", "NA"),
        ("do", "tor1", "CA", "NA"),
        ("do", "ams3", "NL", "EU"),
        ("scaleway", "fr-par", "FR", "EU"),
        ("seeweb", "it-fr2", "IT", "EU"),
        ("seeweb", "ch-lug1", "CH", "EU"),
    ],
)
def test_region_location(provider: str, region: str, country: str, continent: str) -> None:
    assert region_location(provider, region) == Location(country, continent)


@pytest.mark.parametrize(
    ("provider", "region", "expected"),
    [
        ("hyperbolic", "default", Location(None, None)),
        ("primeintellect", "UNSPECIFIED", Location(None, None)),
        ("seeweb", "", Location(None, None)),
        ("seeweb", "   ", Location(None, None)),
        ("lambda", "europe-south-1", Location(None, "EU")),
        ("aws", "xx-nowhere-9", Location(None, None)),
        ("runpod", "DC-SKIP", Location(None, None)),
        ("no-such-cloud", "somewhere", Location(None, None)),
        ("no-such-cloud", "us-east-1", Location("US", "NA")),
        ("vastai", "Texas, US, NA", Location("US", "NA")),
    ],
)
def test_region_location_unknown_and_partial(
    provider: str, region: str, expected: Location
) -> None:
    assert region_location(provider, region) == expected


def test_region_location_never_raises_on_bad_input() -> None:
    assert region_location(None, "us-east-1") == Location(None, None)  # type: ignore[arg-type]
    assert region_location("aws", 42) == Location(None, None)  # type: ignore[arg-type]


def test_location_rejects_inconsistent_values() -> None:
    with pytest.raises(ValueError):
        Location("US", "EU")
    with pytest.raises(ValueError):
        Location(None, "XX")
    with pytest.raises(ValueError):
        Location("ZZ", None)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("EU", "EU"),
        ("eu", "EU"),
        ("europe", "EU"),
        ("Europe", "EU"),
        ("north america", "NA"),
        ("North-America", "NA"),
        ("NA", "NA"),
        ("South America", "SA"),
        ("asia", "AS"),
        ("Middle East", "AS"),
        ("Oceania", "OC"),
        ("africa", "AF"),
        ("atlantis", None),
        ("", None),
    ],
)
def test_continent_code(text: str, code: str | None) -> None:
    assert continent_code(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("US", "US"),
        ("us", "US"),
        ("U.S.", "US"),
        ("United States", "US"),
        ("USA", "US"),
        ("Germany", "DE"),
        ("de", "DE"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("The Netherlands", "NL"),
        ("south korea", "KR"),
        ("UAE", "AE"),
        ("Australia", "AU"),
        ("Narnia", None),
        ("XX", None),
        ("", None),
    ],
)
def test_country_code(text: str, code: str | None) -> None:
    assert country_code(text) == code


def test_country_continent_table() -> None:
    assert len(COUNTRY_CONTINENT) > 240
    assert set(COUNTRY_CONTINENT.values()) == {"NA", "SA", "EU", "AS", "AF", "OC"}
    assert all(len(code) == 2 and code.isupper() for code in COUNTRY_CONTINENT)
    assert COUNTRY_CONTINENT["IL"] == COUNTRY_CONTINENT["AE"] == COUNTRY_CONTINENT["SA"] == "AS"
