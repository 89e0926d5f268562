"""Verda (ex DataCrunch): instance types priced per instance, offered where available.

OAuth2 client credentials (``POST /oauth2/token``) give a Bearer token; then
``GET /instance-types?currency=usd`` lists every type with ``price_per_hour`` and
``spot_price`` (decimal strings, USD per instance-hour) and ``gpu_memory.size_in_gigabytes``
for all its GPUs together; ``GET /instance-availability?is_spot=false|true`` lists, per
location code, the types that can be created now. One offer per (type, location, spot).
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from market.adapters.base import (
    ApiAdapter,
    FetchResult,
    ProviderError,
    RawOffer,
    env_value,
    number,
    require_keys,
)

log = logging.getLogger(__name__)

BASE_URL = "https://api.verda.com/v1"
TIMEOUT_S = 30.0


class VerdaApi(ApiAdapter):
    """The key is ``client_id:client_secret`` (a user's saved key, or the two variables)."""

    NAME = "verda-api"
    BASE_URL = BASE_URL
    TIMEOUT_S = TIMEOUT_S
    KEY_ENV = "VERDA_CLIENT_SECRET"
    KEY_REQUIRED = True
    KEY_ALIASES = ("datacrunch",)
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        super().__init__(api_key=api_key, base_url=base_url)
        client_id, secret = env_value("VERDA_CLIENT_ID"), env_value(self.KEY_ENV)
        if not api_key:
            self.api_key = f"{client_id}:{secret}" if client_id and secret else None
        self.source = f"{self.base_url}/instance-types"

    def key_missing(self) -> str | None:
        if self.api_key and ":" in self.api_key:
            return None
        return ("set VERDA_CLIENT_ID and VERDA_CLIENT_SECRET (OAuth2 client credentials; "
                "a saved key is 'client_id:client_secret')")

    def fetch(self, client: httpx.Client) -> FetchResult:
        headers = {"Authorization": f"Bearer {self._token(client)}"}
        types = require_keys(_parse_list(self._get(client, "/instance-types", headers=headers,
                                                   params={"currency": "usd"}), "instance-types"),
                             ("instance_type", "price_per_hour"), where="verda-api instance-types")
        by_name = {t.get("instance_type"): t for t in types}
        result = FetchResult(offers=[])
        for spot in (False, True):
            body = self._get(client, "/instance-availability", headers=headers,
                             params={"is_spot": "true" if spot else "false"})
            places = require_keys(_parse_list(body, "instance-availability"),
                                  ("location_code", "availabilities"),
                                  where="verda-api instance-availability")
            for place in places:
                for name in place.get("availabilities") or []:
                    _parse_type(by_name.get(name), place.get("location_code") or "", spot,
                                self.source, result)
        return result

    def _token(self, client: httpx.Client) -> str:
        client_id, _, secret = self._require_key().partition(":")
        body = self._post(client, "/oauth2/token", {
            "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            raise ProviderError("verda-api: the token answer has no access_token")
        return token


def _parse_list(body: Any, what: str) -> list[dict[str, Any]]:
    if not isinstance(body, list):
        raise ProviderError(f"verda-api: {what} is not a list ({str(body)[:200]})")
    return body


def _parse_type(kind: dict[str, Any] | None, location: str, spot: bool, source: str,
                result: FetchResult) -> None:
    if kind is None:
        result.skip("available type not in instance-types")
        return
    gpu = kind.get("gpu") or {}
    count = number(gpu.get("number_of_gpus"))
    price = number(kind.get("spot_price" if spot else "price_per_hour"))
    if not count or count <= 0:
        result.skip("CPU only")
        return
    if not price or price <= 0:
        log.info("verda-api: %s has no %s price", kind.get("instance_type"),
                 "spot" if spot else "on-demand")
        result.skip("no price")
        return
    total_vram = number((kind.get("gpu_memory") or {}).get("size_in_gigabytes"))
    result.offers.append(RawOffer(
        instance_type=kind.get("instance_type") or "", region=location,
        gpu_raw_name=kind.get("model") or kind.get("name") or "", gpu_count=count,
        gpu_memory_gb=round(total_vram / count, 2) if total_vram else None,
        gpu_vendor=(kind.get("manufacturer") or "").lower() or None,
        gpu_detail=gpu.get("description") or "",
        vcpus=number((kind.get("cpu") or {}).get("number_of_cores")),
        memory_gb=number((kind.get("memory") or {}).get("size_in_gigabytes")),
        disk_gb=number((kind.get("storage") or {}).get("size_in_gigabytes")),
        price_usd_per_hour=price, spot=spot, source=source,
    ))
