"""The snapshot a subscription may ask for: the offers matching it now, cheapest first.

``{"type": "snapshot", "items": [first SNAPSHOT_SIZE offers by price], "total": N}``, from
the same query engine as ``GET /api/v2/providers/`` (same offer shape). The index is checked
against the store first, so a snapshot is never older than a delta the client already got.
"""

from __future__ import annotations

from typing import Any

from market.query.filters import OfferFilter
from market.query.index import offer_index_fresh
from market.query.search import offers_search

SNAPSHOT_SIZE = 500


def offers_snapshot(offer_filter: OfferFilter) -> dict[str, Any]:
    page = offers_search(offer_filter=offer_filter, sort="price_per_hour", per_page=SNAPSHOT_SIZE,
                         index=offer_index_fresh())
    return {"type": "snapshot", "items": page.items, "total": page.total}
