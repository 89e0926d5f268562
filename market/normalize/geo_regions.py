"""Region code -> ISO country, per provider, from each cloud's documented region locations.

Tables are written country -> region codes and inverted once at import. Codes starting
with "us-" need no entry: `market.normalize.geo` places them in the US for every provider.
Sources: AWS "Regions and Availability Zones", Google Cloud "Geography and regions",
Azure region list (geographyGroup / physical location), OCI "Regions and Availability
Domains", Lambda and Nebius region docs, DigitalOcean datacenter slugs, OVHcloud
datacenter codes, Paperspace region list.
"""

from __future__ import annotations


def _invert(by_country: dict[str, str]) -> dict[str, str]:
    return {code: country for country, codes in by_country.items() for code in codes.split()}


_AWS = {
    "ZA": "af-south-1",
    "HK": "ap-east-1",
    "IN": "ap-south-1 ap-south-2",
    "SG": "ap-southeast-1",
    "AU": "ap-southeast-2 ap-southeast-4",
    "ID": "ap-southeast-3",
    "MY": "ap-southeast-5",
    "TH": "ap-southeast-7",
    "JP": "ap-northeast-1 ap-northeast-3",
    "KR": "ap-northeast-2",
    "CA": "ca-central-1 ca-west-1",
    "DE": "eu-central-1",
    "CH": "eu-central-2",
    "IE": "eu-west-1",
    "GB": "eu-west-2",
    "FR": "eu-west-3",
    "IT": "eu-south-1",
    "ES": "eu-south-2",
    "SE": "eu-north-1",
    "IL": "il-central-1",
    "BH": "me-south-1",
    "AE": "me-central-1",
    "MX": "mx-central-1",
    "BR": "sa-east-1",
    "CN": "cn-north-1 cn-northwest-1",
}

_GCP = {
    "TW": "asia-east1",
    "HK": "asia-east2",
    "JP": "asia-northeast1 asia-northeast2",
    "KR": "asia-northeast3",
    "IN": "asia-south1 asia-south2",
    "SG": "asia-southeast1",
    "ID": "asia-southeast2",
    "TH": "asia-southeast3",
    "AU": "australia-southeast1 australia-southeast2",
    "FI": "europe-north1",
    "SE": "europe-north2",
    "PL": "europe-central2",
    "BE": "europe-west1",
    "GB": "europe-west2",
    "DE": "europe-west3 europe-west10",
    "NL": "europe-west4",
    "CH": "europe-west6",
    "IT": "europe-west8 europe-west12",
    "FR": "europe-west9",
    "ES": "europe-southwest1",
    "QA": "me-central1",
    "SA": "me-central2",
    "IL": "me-west1",
    "CA": "northamerica-northeast1 northamerica-northeast2",
    "MX": "northamerica-south1",
    "BR": "southamerica-east1",
    "CL": "southamerica-west1",
    "ZA": "africa-south1",
}

_AZURE = {
    "US": "eastus eastus2 centralus northcentralus southcentralus westcentralus westus westus2"
    " westus3",
    "CA": "canadacentral canadaeast",
    "MX": "mexicocentral",
    "BR": "brazilsouth brazilsoutheast",
    "CL": "chilecentral",
    "IE": "northeurope",
    "NL": "westeurope",
    "GB": "uksouth ukwest",
    "FR": "francecentral francesouth",
    "DE": "germanywestcentral germanynorth",
    "CH": "switzerlandnorth switzerlandwest",
    "NO": "norwayeast norwaywest",
    "SE": "swedencentral",
    "PL": "polandcentral",
    "IT": "italynorth",
    "ES": "spaincentral",
    "AT": "austriaeast",
    "BE": "belgiumcentral",
    "HK": "eastasia",
    "SG": "southeastasia",
    "JP": "japaneast japanwest",
    "KR": "koreacentral koreasouth",
    "IN": "centralindia southindia westindia jioindiacentral jioindiawest",
    "ID": "indonesiacentral",
    "MY": "malaysiawest",
    "AU": "australiaeast australiasoutheast australiacentral australiacentral2",
    "NZ": "newzealandnorth",
    "AE": "uaenorth uaecentral",
    "QA": "qatarcentral",
    "IL": "israelcentral",
    "ZA": "southafricanorth southafricawest",
}

_OCI = {
    "ZA": "af-johannesburg-1",
    "KR": "ap-chuncheon-1 ap-seoul-1",
    "IN": "ap-hyderabad-1 ap-mumbai-1",
    "AU": "ap-melbourne-1 ap-sydney-1",
    "JP": "ap-osaka-1 ap-tokyo-1",
    "SG": "ap-singapore-1 ap-singapore-2",
    "CA": "ca-montreal-1 ca-toronto-1",
    "NL": "eu-amsterdam-1",
    "DE": "eu-frankfurt-1",
    "ES": "eu-madrid-1",
    "FR": "eu-marseille-1 eu-paris-1",
    "IT": "eu-milan-1",
    "SE": "eu-stockholm-1",
    "CH": "eu-zurich-1",
    "RS": "eu-jovanovac-1",
    "IL": "il-jerusalem-1",
    "AE": "me-abudhabi-1 me-dubai-1",
    "SA": "me-jeddah-1 me-riyadh-1",
    "MX": "mx-queretaro-1 mx-monterrey-1",
    "CL": "sa-santiago-1 sa-valparaiso-1",
    "BR": "sa-saopaulo-1 sa-vinhedo-1",
    "CO": "sa-bogota-1",
    "GB": "uk-cardiff-1 uk-london-1",
}

# Lambda's europe-south-1 has no documented country; `market.normalize.geo` places it in EU only.
_LAMBDA = {
    "JP": "asia-northeast-1 asia-northeast-2",
    "IN": "asia-south-1",
    "AU": "australia-east-1 australia-southeast-1",
    "DE": "europe-central-1",
    "IL": "me-west-1",
}

_NEBIUS = {
    "FI": "eu-north1",
    "IS": "eu-north2",
    "FR": "eu-west1",
    "ES": "eu-south1",
    "IL": "me-west1",
    "GB": "uk-south1",
}

REGION_COUNTRY: dict[str, dict[str, str]] = {
    "aws": _invert(_AWS),
    "gcp": _invert(_GCP),
    "azure": _invert(_AZURE),
    "oci": _invert(_OCI),
    "lambda": _invert(_LAMBDA),
    "nebius": _invert(_NEBIUS),
}

# Site codes: the letters of a DigitalOcean slug ("tor1"), an OVHcloud region ("GRA11")
# or a Paperspace region's code in parentheses ("East Coast (NY2)"), digits stripped.
SITE_COUNTRY: dict[str, dict[str, str]] = {
    "do": _invert(
        {
            "US": "nyc sfo atl",
            "CA": "tor",
            "GB": "lon",
            "NL": "ams",
            "DE": "fra",
            "IN": "blr",
            "SG": "sgp",
            "AU": "syd",
        }
    ),
    "ovhcloud": _invert(
        {
            "FR": "gra sbg rbx",
            "CA": "bhs",
            "PL": "waw",
            "GB": "lon uk",
            "DE": "fra de",
            "SG": "sgp",
            "AU": "syd",
        }
    ),
    "paperspace": _invert({"US": "ny ca", "NL": "ams"}),
}

# Live provider APIs name their regions as the catalog cloud of the same company does.
REGION_COUNTRY["lambda-api"] = REGION_COUNTRY["lambda"]
SITE_COUNTRY["do-api"] = SITE_COUNTRY["do"]
