"""What every adapter returns: raw offers, as the source wrote them (units converted only)."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import httpx

from market.offer import RawOffer as RawOffer  # re-exported: every adapter builds them


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


class ProviderUnavailable(Exception):
    """The provider cannot be asked (no key, disabled); ``status`` says which."""

    def __init__(self, status: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status


class ProviderError(Exception):
    """The provider answered, but not with offers (an error body, a malformed payload)."""


class ApiAdapter:
    """Base of the live provider APIs: one subclass per provider module.

    A subclass sets ``NAME`` (``<company>-api``), ``BASE_URL``, ``TIMEOUT_S`` and, when the
    API wants a credential, ``KEY_ENV`` (the environment variable of the server-wide key)
    with ``KEY_REQUIRED``. ``api_key`` given to the constructor (a user's own key) wins over
    the environment; ``GPUBROKER_API_URL_<NAME>`` (``GPUBROKER_API_URL_LAMBDA_API``)
    overrides the base URL, for tests and self-hosted mirrors.
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
        return self._json(client.get(self.base_url + path, timeout=self.TIMEOUT_S, **kwargs))

    def _post(self, client: httpx.Client, path: str, body: Any, **kwargs: Any) -> Any:
        return self._json(client.post(self.base_url + path, json=body, timeout=self.TIMEOUT_S,
                                      **kwargs))

    def _json(self, response: httpx.Response) -> Any:
        """The JSON body of a successful answer; an HTTP error or non-JSON body raises."""
        response.raise_for_status()
        try:
            return response.json()
        except ValueError as exc:
            raise ProviderError(f"{self.NAME}: answer is not JSON ({exc})") from None


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
