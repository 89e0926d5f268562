"""KPI parts computed from the offers listed now, kept per process until the offers change.

A part (the overview's totals and popular GPUs, one GPU's prices, one provider's prices
against the market, the insights' cheapest, spreads, value and supply) reads nothing but the
offers table. Only a sync writes offers, and it commits its run with them, so a part is kept
under the store version read before it was computed (`market.query.index.offers_version`,
the marker the offer index rebuilds on) and computed again once any sync, ok or failed, in
any process, moved that version. The version is read on every call (one indexed MAX over
the sync runs), not within the offer index's once-a-second recheck, so another worker's
sync is seen by the next request.

Never kept, computed per request by the callers: what depends on the clock, on provider rows
(registration, stale and failing states, last sync), on sync runs or on price observations
(a backfill and retention write those without a sync). ClickHouse answers are not kept
either: its tables are filled after the sync commits, so they run behind the store version.

Each part is kept pickled: every caller gets its own copy, and none can change the next one.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from kpi.engines import Engine, SqlEngine
from market.query.index import offers_version

MAX_PARTS = 1024  # GPU spellings and provider names: far more than there are
T = TypeVar("T")

_parts: OrderedDict[tuple[Hashable, ...], tuple[int, bytes]] = OrderedDict()
_lock = threading.Lock()


def offers_part(key: tuple[Hashable, ...], compute: Callable[[], T], *, engine: Engine) -> T:
    """``compute()``, or its copy kept since the offers last changed (SQL engine only)."""
    if not isinstance(engine, SqlEngine):
        return compute()
    version = offers_version()  # before computing: a sync meanwhile makes the part newer
    with _lock:
        kept = _parts.get(key)
        if kept is not None and kept[0] == version:
            _parts.move_to_end(key)
    if kept is not None and kept[0] == version:
        return pickle.loads(kept[1])
    value = compute()
    _keep(key, version, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def _keep(key: tuple[Hashable, ...], version: int, blob: bytes) -> None:
    with _lock:
        _parts[key] = (version, blob)
        _parts.move_to_end(key)
        while len(_parts) > MAX_PARTS:
            _parts.popitem(last=False)


def offers_parts_clear() -> None:
    """Forget every kept part (tests roll back sync runs, and ids may come again)."""
    with _lock:
        _parts.clear()
