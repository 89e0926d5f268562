"""One offer per machine: a cloud's catalog and its live API merged without duplicates.

A company can be read twice: from a public catalog (``lambda``) and from its own API
(``lambda-api``). Both name the same machine by the same identity (instance type, region,
spot). The index keeps one row per machine: the fresher one (the later ``fetched_at``; a
stale row loses to a fresh one; the live API wins a tie). The row kept says which source it
came from (``provider``, ``source``) and when it was read (``fetched_at``); both stay stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

MergeKey = tuple[str, str, str, bool]  # (cloud, instance_type, region, spot)


def provider_cloud(name: str) -> str:
    """The company behind a source: ``lambda-api`` and ``lambda`` are one cloud."""
    return name.removesuffix("-api")


def offers_merged(offers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored rows (``provider_id`` names the source) with one row per machine, by id."""
    kept: dict[MergeKey, dict[str, Any]] = {}
    for offer in offers:
        key = (provider_cloud(offer["provider_id"]), offer["instance_type"], offer["region"],
               offer["spot"])
        other = kept.get(key)
        if other is None or _rank(offer) > _rank(other):
            kept[key] = offer
    if len(kept) == len(offers):
        return offers
    return sorted(kept.values(), key=lambda offer: offer["id"])


def _rank(offer: dict[str, Any]) -> tuple[bool, datetime, bool]:
    return (not offer["stale"], offer["fetched_at"], offer["provider_id"].endswith("-api"))
