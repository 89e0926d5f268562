"""Country and continent tables behind `market.normalize.geo`.

Continent codes: NA, SA, EU, AS, AF, OC. Countries are ISO 3166-1 alpha-2 and follow the
GeoNames continent assignment: the Middle East, Turkey and the Caucasus are AS, Russia and
Cyprus are EU. Antarctic territories (AQ, BV, GS, HM, TF) are left out.
"""

from __future__ import annotations

CONTINENTS: frozenset[str] = frozenset({"NA", "SA", "EU", "AS", "AF", "OC"})

_COUNTRIES_BY_CONTINENT: dict[str, str] = {
    "AF": "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS"
    " LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG YT"
    " ZA ZM ZW",
    "AS": "AE AF AM AZ BD BH BN BT CC CN CX GE HK ID IL IN IO IQ IR JO JP KG KH KP KR KW KZ"
    " LA LB LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE",
    "EU": "AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS"
    " IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA",
    "NA": "AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ"
    " MS MX NI PA PM PR SV SX TC TT US VC VG VI",
    "SA": "AR BO BR CL CO EC FK GF GY PE PY SR UY VE",
    "OC": "AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS",
}

COUNTRY_CONTINENT: dict[str, str] = {
    country: continent
    for continent, countries in _COUNTRIES_BY_CONTINENT.items()
    for country in countries.split()
}

CONTINENT_NAMES: dict[str, str] = {
    "north america": "NA",
    "northamerica": "NA",
    "south america": "SA",
    "southamerica": "SA",
    "latin america": "SA",
    "europe": "EU",
    "asia": "AS",
    "middle east": "AS",
    "africa": "AF",
    "oceania": "OC",
    "australia": "OC",
}

# Lower-case names, common aliases and a few alpha-3 codes. Names that are also US states
# (Georgia, Jersey) are left out on purpose: "georgia" in a region name is ambiguous.
_COUNTRY_ALIASES: dict[str, str] = {
    "US": "usa|united states|united states of america",
    "CA": "canada",
    "MX": "mexico",
    "BR": "brazil",
    "AR": "argentina",
    "CL": "chile",
    "CO": "colombia",
    "GB": "uk|gbr|united kingdom|great britain|britain|england",
    "IE": "ireland",
    "FR": "france",
    "DE": "germany|deu",
    "NL": "netherlands|the netherlands|holland",
    "BE": "belgium",
    "LU": "luxembourg",
    "CH": "switzerland",
    "AT": "austria",
    "IT": "italy",
    "ES": "spain",
    "PT": "portugal",
    "DK": "denmark",
    "NO": "norway",
    "SE": "sweden",
    "FI": "finland",
    "IS": "iceland",
    "EE": "estonia",
    "LV": "latvia",
    "LT": "lithuania",
    "PL": "poland",
    "CZ": "czechia|czech republic",
    "SK": "slovakia",
    "HU": "hungary",
    "SI": "slovenia",
    "HR": "croatia",
    "RS": "serbia",
    "RO": "romania",
    "BG": "bulgaria",
    "GR": "greece",
    "UA": "ukraine",
    "RU": "russia|russian federation",
    "TR": "turkey|turkiye",
    "IL": "israel",
    "AE": "uae|united arab emirates",
    "SA": "saudi arabia",
    "QA": "qatar",
    "BH": "bahrain",
    "IN": "india",
    "CN": "china",
    "HK": "hong kong",
    "TW": "taiwan",
    "JP": "japan",
    "KR": "south korea|korea",
    "SG": "singapore",
    "MY": "malaysia",
    "ID": "indonesia",
    "TH": "thailand",
    "VN": "vietnam|viet nam",
    "PH": "philippines",
    "AU": "australia",
    "NZ": "new zealand",
    "ZA": "south africa",
    "EG": "egypt",
    "NG": "nigeria",
    "KE": "kenya",
    "MA": "morocco",
}

COUNTRY_NAMES: dict[str, str] = {
    alias: code for code, aliases in _COUNTRY_ALIASES.items() for alias in aliases.split("|")
}
