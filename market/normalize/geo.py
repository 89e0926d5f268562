"""One location taxonomy across providers.

Offers carry `region` as each cloud names it ("eu-central-1", "Texas, US, NA",
"frankfurt-germany-5", "tor1", ...). `region_location` turns that into an ISO 3166-1
alpha-2 country and a continent code (NA, SA, EU, AS, AF, OC; the Middle East is AS).
A field the region does not say stays None: placeholders such as "default",
"UNSPECIFIED" or "" give `Location(None, None)`, and a region known only by its
continent (Lambda's "europe-south-1") gives `Location(None, "EU")`. Nothing is guessed.

Order of evidence: the provider's region table (`market.normalize.geo_regions`), then the
provider's own naming convention, then conventions safe for any provider ("us-" prefix,
a country word such as "usa" or "finland", a continent prefix such as "europe-").
`continent_code` and `country_code` read what users type in filters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from market.normalize.geo_data import CONTINENT_NAMES, CONTINENTS, COUNTRY_CONTINENT, COUNTRY_NAMES
from market.normalize.geo_regions import REGION_COUNTRY, SITE_COUNTRY

__all__ = [
    "COUNTRY_CONTINENT",
    "Location",
    "continent_code",
    "country_code",
    "region_location",
]


@dataclass(frozen=True)
class Location:
    """Country (ISO alpha-2) and continent code of a region; None where unknown."""

    country: str | None
    continent: str | None

    def __post_init__(self) -> None:
        if self.continent is not None and self.continent not in CONTINENTS:
            raise ValueError(f"unknown continent code {self.continent!r}")
        if self.country is None:
            return
        if self.country not in COUNTRY_CONTINENT:
            raise ValueError(f"unknown country code {self.country!r}")
        if COUNTRY_CONTINENT[self.country] != self.continent:
            raise ValueError(f"country {self.country!r} is not in continent {self.continent!r}")


UNKNOWN = Location(None, None)
_PLACEHOLDERS = frozenset({"", "default", "unspecified", "unknown", "none", "n/a", "any"})
_PROVIDER_ALIASES = {
    "vastai": "vast",
    "lambdalabs": "lambda",
    "digitalocean": "do",
    "ovh": "ovhcloud",
}
_SEPARATORS = re.compile(r"[\s,_/-]+")
_CONTINENT_PREFIXES = {
    "europe": "EU",
    "eu": "EU",
    "asia": "AS",
    "africa": "AF",
    "northamerica": "NA",
    "southamerica": "SA",
}

_RUNPOD_AREAS = frozenset({"eu", "eur", "ap", "oc", "sea", "sa", "af", "me"})

Parser = Callable[[str], Location | None]


def continent_code(text: str) -> str | None:
    """Continent code for a code or name: "EU", "europe", "North America" -> "NA"."""
    norm = _normalise(text)
    if norm.upper() in CONTINENTS:
        return norm.upper()
    return CONTINENT_NAMES.get(norm)


def country_code(text: str) -> str | None:
    """ISO alpha-2 code for a code or name: "us", "USA", "United States" -> "US"."""
    norm = _normalise(text).replace(".", "")
    if len(norm) == 2 and norm.upper() in COUNTRY_CONTINENT:
        return norm.upper()
    return COUNTRY_NAMES.get(norm)


def region_location(provider: str, region: str) -> Location:
    """Location of `region` as `provider` names it; never raises, unknown -> None fields."""
    if not isinstance(provider, str) or not isinstance(region, str):
        return UNKNOWN
    name = provider.strip().lower()
    return _region_location(_PROVIDER_ALIASES.get(name, name), region.strip())


@lru_cache(maxsize=4096)
def _region_location(provider: str, region: str) -> Location:
    if region.lower() in _PLACEHOLDERS:
        return UNKNOWN
    for parse in (*_PROVIDER_PARSERS.get(provider, ()), *_GENERIC_PARSERS):
        if (found := parse(region)) is not None:
            return found
    return UNKNOWN


def _normalise(text: str) -> str:
    return " ".join(_SEPARATORS.split(text.strip().lower())) if isinstance(text, str) else ""


def _at(country: str | None) -> Location | None:
    if country is None or country not in COUNTRY_CONTINENT:
        return None
    return Location(country, COUNTRY_CONTINENT[country])


def _tokens(region: str) -> list[str]:
    return [token for token in _SEPARATORS.split(region.lower()) if token]


def _table(provider: str) -> Parser:
    """aws, gcp, azure, oci, lambda, nebius: the documented region code."""
    table = REGION_COUNTRY[provider]

    def parse(region: str) -> Location | None:
        return _at(table.get(region.lower()))

    return parse


def _runpod(region: str) -> Location | None:
    """Runpod: a country code ("IS") or a data center id ("EUR-IS-1", "US-TX-3", "CA-MTL-1")."""
    tokens = _tokens(region)
    if len(tokens) == 1 or (tokens and tokens[0] in ("us", "ca")):
        return _at(tokens[0].upper()) if len(tokens[0]) == 2 else None
    if len(tokens) > 1 and tokens[0] in _RUNPOD_AREAS and len(tokens[1]) == 2:
        return _at(tokens[1].upper())
    return None


def _code_prefix(region: str) -> Location | None:
    """cudo "se-stockholm-1", scaleway "fr-par", seeweb "it-fr2", primeintellect "US - x"."""
    tokens = _tokens(region)
    return _at(tokens[0].upper()) if tokens and len(tokens[0]) == 2 else None


def _vast(region: str) -> Location | None:
    """vast "Texas, US, NA" or ", US, NA": country second, continent third."""
    parts = [part.strip() for part in region.split(",")]
    if len(parts) < 2:
        return None
    found = _at(parts[-2].upper())
    if found is None and parts[-1].upper() in CONTINENTS:
        found = Location(None, parts[-1].upper())
    return found


def _continent_then_code(region: str) -> Location | None:
    """simplepod "Europe-NO", "North America-CA"."""
    continent, _, code = region.rpartition("-")
    found = _at(code.strip().upper())
    if found is None and (only := continent_code(continent)) is not None:
        found = Location(None, only)
    return found


def _site(provider: str) -> Parser:
    """do "tor1", ovhcloud "GRA", paperspace "East Coast (NY2)": a site code, digits off."""
    table = SITE_COUNTRY[provider]

    def parse(region: str) -> Location | None:
        inner = re.search(r"\(([^)]*)\)", region)
        code = (inner.group(1) if inner else region).strip().lower()
        return _at(table.get(code.rstrip("0123456789")))

    return parse


def _us_prefix(region: str) -> Location | None:
    """Every cloud that uses a "us-" prefix means the United States."""
    return _at("US") if region.lower().startswith("us-") else None


def _country_word(region: str) -> Location | None:
    """A token naming a country: shadeform "dallas-usa-1", fluidstack "UTAH_USA"."""
    for token in reversed(_tokens(region)):
        if (code := COUNTRY_NAMES.get(token)) is not None:
            return _at(code)
    return None


def _continent_prefix(region: str) -> Location | None:
    """Lambda "europe-south-1", jarvislabs "europe-01": a continent, no country."""
    tokens = _tokens(region)
    continent = _CONTINENT_PREFIXES.get(tokens[0]) if tokens else None
    return Location(None, continent) if continent else None


_PROVIDER_PARSERS: dict[str, tuple[Parser, ...]] = {
    **{cloud: (_table(cloud),) for cloud in REGION_COUNTRY},
    **{provider: (_site(provider),) for provider in SITE_COUNTRY},
    "vast": (_vast,),
    "runpod": (_runpod,),
    "primeintellect": (_code_prefix,),
    "cudo": (_code_prefix,),
    "scaleway": (_code_prefix,),
    "seeweb": (_code_prefix,),
    "simplepod": (_continent_then_code,),
}
_GENERIC_PARSERS: tuple[Parser, ...] = (_us_prefix, _country_word, _continent_prefix)
