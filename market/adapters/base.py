"""What every adapter returns: raw offers, as the source wrote them (units converted only)."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import httpx

from market.adapters.errors import PayloadRejected, ProviderError, ProviderUnavailable
from market.adapters.http import HttpPolicy, http_policy, request_json
from market.offer import RawOffer as RawOffer  # re-exported: every adapter builds them

__all__ = ["PayloadRejected", "ProviderError", "ProviderUnavailable", "RawOffer", "FetchResult",
           "Adapter", "ApiAdapter", "HttpPolicy", "env_value", "url_env", "number",
           "require_keys", "require_list"]


@dataclass
class FetchResult:
    """Raw offers plus what the adapter skipped, by reason (``{"no price": 12}``)."""

    offers: list[RawOffer]
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


class Adapter(Protocol):
    """A source of offers. ``fetch`` raises on failure; the sync service catches it."""

    name: str
    kind: str  # "catalog" | "api"
    source: str

    def fetch(self, client: httpx.Client) -> FetchResult: ...


class ApiAdapter:
    """Base of the live provider APIs: one subclass per provider module.

    A subclass sets ``NAME`` (``<company>-api``), ``BASE_URL``, ``TIMEOUT_S`` and, when the
    API wants a credential, ``KEY_ENV`` (the environment variable of the server-wide key)
    with ``KEY_REQUIRED``. ``api_key`` given to the constructor (a user's own key) wins over
    the environment; ``GPUBROKER_API_URL_<NAME>`` (``GPUBROKER_API_URL_LAMBDA_API``)
    overrides the base URL, for tests and self-hosted mirrors. Requests go through
    ``market.adapters.http`` (timeouts, retries, size cap) with the settings' policy.
    """

    NAME: ClassVar[str] = ""
    BASE_URL: ClassVar[str] = ""
    TIMEOUT_S: ClassVar[float] = 30.0
    KEY_ENV: ClassVar[str] = ""
    KEY_REQUIRED: ClassVar[bool] = False
    KEY_ALIASES: ClassVar[tuple[str, ...]] = ()  # other names a user may save the key under
    kind = "api"

    def __init__(self, *, api_key: str | None = None, base_url: str | None = None) -> None:
        self.name = self.NAME
        self.policy: HttpPolicy | None = None  # None: the settings' policy at each request
        self.api_key = api_key if api_key else env_value(self.KEY_ENV)
        url = base_url or env_value(url_env(self.NAME)) or self.BASE_URL
        self.base_url = url.rstrip("/")
        self.source = self.base_url

    def fetch(self, client: httpx.Client) -> FetchResult:
        raise NotImplementedError

    def key_missing(self) -> str | None:
        """Why this adapter cannot ask its API (a missing credential), else None."""
        if self.KEY_REQUIRED and not self.api_key:
            return f"set {self.KEY_ENV} to a {self.NAME} API key (or save your own key)"
        return None

    def key_names(self) -> tuple[str, ...]:
        """Names a user's saved key may carry: ``lambda-api``, then ``lambda`` and aliases."""
        return (self.NAME, self.NAME.removesuffix("-api"), *self.KEY_ALIASES)

    def _require_key(self) -> str:
        missing = self.key_missing()
        if missing:
            raise ProviderUnavailable("no_key", missing)
        return self.api_key or ""

    def _get(self, client: httpx.Client, path: str, **kwargs: Any) -> Any:
        return self._request(client, "GET", path, **kwargs)

    def _post(self, client: httpx.Client, path: str, body: Any, **kwargs: Any) -> Any:
        return self._request(client, "POST", path, json=body, **kwargs)

    def _request(self, client: httpx.Client, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON body of a successful answer, retried as the policy allows; else raises."""
        policy = self.policy or http_policy(self.TIMEOUT_S)
        return request_json(client, method, self.base_url + path, name=self.NAME,
                            policy=policy, **kwargs)


def env_value(name: str) -> str | None:
    value = os.environ.get(name, "").strip() if name else ""
    return value or None


def url_env(provider: str) -> str:
    """The base-URL override variable of ``provider``: ``GPUBROKER_API_URL_LAMBDA_API``."""
    return "GPUBROKER_API_URL_" + provider.upper().replace("-", "_")


def number(value: object) -> float | None:
    """A finite number from a JSON value (APIs send ``"3.95"`` as often as ``3.95``)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        result = float(value)
    except ValueError:
        return None
    return result if math.isfinite(result) else None


def require_keys(items: list[Any], keys: tuple[str, ...], *, where: str) -> list[dict[str, Any]]:
    """``items`` when every one is an object holding every key of ``keys``; else the whole
    answer is rejected (a renamed field or a partial payload must not be half-stored)."""
    for key in keys:
        missing = sum(1 for item in items if not isinstance(item, dict) or key not in item)
        if missing:
            raise PayloadRejected(f"{where}: {missing} of {len(items)} entries have no "
                                  f"{key!r} field (renamed or partial payload), rejected whole")
    return items


def require_list(body: Any, key: str, *, where: str) -> list[Any]:
    """``body[key]`` when it is a list, else the answer is rejected as malformed. (An empty
    list is let through: the sync keeps the last good offers when an answer lists nothing.)"""
    found = body.get(key) if isinstance(body, dict) else None
    if not isinstance(found, list):
        raise PayloadRejected(f"{where}: answer has no {key!r} list ({str(body)[:200]})")
    return found
