"""Recorded provider payloads and a one-call fetch through the real HTTP client."""

from __future__ import annotations

import json
from typing import Any

import httpx

from market.adapters.base import Adapter, FetchResult
from tests.conftest import PROVIDER_SAMPLES


def sample(relative: str) -> Any:
    """A recorded payload of ``provider-samples`` (see its README for provenance)."""
    return json.loads((PROVIDER_SAMPLES / relative).read_text(encoding="utf-8"))


def fetched(adapter: Adapter) -> FetchResult:
    with httpx.Client() as client:
        return adapter.fetch(client)


def offer_rows(result: FetchResult, *fields: str) -> list[tuple[Any, ...]]:
    """The offers as tuples of ``fields``, sorted, for comparing with a hand-checked table."""
    return sorted(tuple(getattr(o, f) for f in fields) for o in result.offers)
