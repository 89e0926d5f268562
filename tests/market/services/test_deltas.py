"""Sync deltas on two real versions of the vast catalog: added, repriced, removed, nothing else."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from market.adapters.catalog import CatalogAdapter
from market.models import Offer
from market.services.deltas import OfferDelta
from market.services.sync import SyncResult, provider_sync
from tests.conftest import SHARED_DATA
from tests.market.services.test_sync import expected_offers_from_file

pytestmark = pytest.mark.django_db
OLD = SHARED_DATA / "catalogs" / "history" / "vast" / "0e7ecd677444.csv"
NEW = SHARED_DATA / "catalogs" / "history" / "vast" / "00690e7666c7.csv"


def _sync_file(path: Path) -> SyncResult:
    with httpx.Client() as client:
        return provider_sync(adapter=CatalogAdapter("vast", str(path)), client=client)


def _by_kind(result: SyncResult, kind: str) -> dict[tuple[str, str, bool], OfferDelta]:
    return {(d.offer["instance_type"], d.offer["region"], d.offer["spot"]): d
            for d in result.deltas if d.kind == kind}


def test_first_sync_reports_every_offer_as_added_with_its_stored_id() -> None:
    result = _sync_file(OLD)
    added = _by_kind(result, "added")
    assert len(result.deltas) == len(added) == result.added == len(expected_offers_from_file(OLD))
    stored = {o.pk: o.price_per_hour for o in Offer.objects.filter(provider="vast")}
    assert {d.offer_id: d.new_price_per_hour for d in added.values()} == stored
    assert all(d.old_price_per_hour is None and d.offer["provider"] == "vast"
               for d in added.values())


def test_new_version_gives_exactly_the_price_changes_additions_and_removals() -> None:
    before, after = expected_offers_from_file(OLD), expected_offers_from_file(NEW)
    _sync_file(OLD)
    ids = {(o.instance_type, o.region, o.spot): o.pk for o in Offer.objects.filter(provider="vast")}
    result = _sync_file(NEW)
    repriced = {k for k in before.keys() & after.keys() if abs(before[k] - after[k]) > 1e-9}
    changed = _by_kind(result, "changed")
    assert repriced and changed.keys() == repriced
    assert all(abs(d.old_price_per_hour - before[k]) < 1e-9  # type: ignore[operator]
               and abs(d.new_price_per_hour - after[k]) < 1e-9  # type: ignore[operator]
               and d.offer_id == ids[k] for k, d in changed.items())
    assert _by_kind(result, "added").keys() == after.keys() - before.keys()
    removed = _by_kind(result, "removed")
    assert removed.keys() == before.keys() - after.keys()
    assert all(d.new_price_per_hour is None and d.offer_id == ids[k] for k, d in removed.items())


def test_unchanged_source_gives_no_deltas() -> None:
    _sync_file(OLD)
    assert _sync_file(OLD).deltas == []


@pytest.mark.parametrize(("kind", "old", "new"), [
    ("added", 1.0, 2.0), ("changed", None, 2.0), ("changed", 1.0, None), ("removed", 1.0, 2.0),
])
def test_a_delta_has_the_prices_its_kind_implies(kind: str, old: float | None,
                                                   new: float | None) -> None:
    with pytest.raises(ValueError):
        OfferDelta(kind, 1, old, new)  # type: ignore[arg-type]


def test_a_delta_on_the_wire_is_the_offer_in_the_api_shape_with_its_prices() -> None:
    from market.fields import DELTA_FIELDS
    from market.selectors import offer_get

    result = _sync_file(OLD)
    delta = result.deltas[0].as_dict()
    assert list(delta) == ["kind", "offer_id", "old_price_per_hour", "new_price_per_hour",
                           *DELTA_FIELDS]
    stored = offer_get(offer_id=delta["offer_id"])
    assert {k: delta[k] for k in DELTA_FIELDS} == {k: stored[k] for k in DELTA_FIELDS}
    assert delta["price_per_hour"] == delta["new_price_per_hour"]
