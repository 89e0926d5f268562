"""Why is the answer empty? For each constraint, what loosening of it alone would return offers.

Numeric bounds move to the nearest value that some offer (meeting every other constraint)
has; set constraints list the values those offers have. A suggestion is written the way the
constraint was given: ``max_price=1.2`` for a parameter, ``price_per_hour<=1.2`` inside ``q``.
The nearest relaxation comes first: the smallest relative move of a numeric bound, then set
and flag changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from market.query.conditions import Condition, condition_make
from market.query.index import OfferIndex
from market.query.masks import condition_mask

MAX_SUGGESTED_VALUES = 5


@dataclass(frozen=True)
class Relaxation:
    param: str  # the parameter to change ("max_price", "q", ...)
    constraint: str  # the constraint as the user wrote it
    suggestion: str  # the loosened constraint
    offers: int  # how many offers it would return
    distance: float  # relative move of a numeric bound; inf for set/flag changes

    def describe(self) -> str:
        return f"'{self.constraint}' → '{self.suggestion}' would return {self.offers} offers"


def relaxations_find(index: OfferIndex, conditions: list[Condition],
                     base: np.ndarray | None = None) -> list[Relaxation]:
    """Per condition, the nearest loosening that returns offers; ``base``: the offers that
    count at all (whole GPUs, when the filter leaves fractional ones out)."""
    masks = [condition_mask(index, c) for c in conditions]
    found = []
    for i, condition in enumerate(conditions):
        others = np.ones(len(index), dtype=bool) if base is None else base.copy()
        for j, mask in enumerate(masks):
            if j != i:
                others &= mask
        if others.any():
            found.append(_relax(index, condition, others))
    return sorted(found, key=lambda r: (r.distance, -r.offers))


def _relax(index: OfferIndex, condition: Condition, others: np.ndarray) -> Relaxation:
    if condition.field in index.numeric:
        return _relax_numeric(index, condition, others)
    if condition.field in index.flags:
        return _relaxation(condition, f"drop '{condition.label}'", int(others.sum()))
    column = index.text[condition.field]
    counts = Counter(v for v in (column.display[c] for c in column.codes[others]) if _writable(v))
    values = tuple(v for v, _ in counts.most_common(MAX_SUGGESTED_VALUES))
    if not values:
        return _relaxation(condition, f"drop '{condition.label}'", int(others.sum()))
    # Counted the way running the suggestion counts (a GPU value also matches its family).
    loosened = condition_make(condition.field, "in", list(values), label="", param="")
    hits = int((condition_mask(index, loosened) & others).sum())
    suggestion = (f"{condition.field} in [{','.join(values)}]" if condition.param == "q"
                  else f"{condition.param}={','.join(values)}")
    return Relaxation(condition.param, condition.label, suggestion, hits, float("inf"))


def _relax_numeric(index: OfferIndex, condition: Condition, others: np.ndarray) -> Relaxation:
    column = index.numeric[condition.field]
    candidates = column[others & ~np.isnan(column)]
    bound = float(condition.value)  # type: ignore[arg-type]
    if candidates.size == 0:
        return _relaxation(condition, f"drop '{condition.label}'", int(others.sum()))
    if condition.op in ("<", "<="):
        target, op = float(candidates.min()), "<="
    elif condition.op in (">", ">="):
        target, op = float(candidates.max()), ">="
    else:
        target, op = float(candidates[np.argmin(np.abs(candidates - bound))]), "="
    loosened = Condition(condition.field, op, target, "", "")
    hits = int((condition_mask(index, loosened) & others).sum())
    distance = abs(target - bound) / max(abs(bound), 1e-9)
    written = number_text(target)  # exact: a rounded bound could leave the offer out
    suggestion = (f"{condition.field}{op}{written}" if condition.param == "q"
                  else f"{condition.param}={written}")
    return Relaxation(condition.param, condition.label, suggestion, hits, distance)


def _writable(value: str) -> bool:
    """A value a list can carry (``a,b`` and ``[a,b]`` split on commas)."""
    return bool(value) and not set(value) & set(",[]")


def number_text(value: float) -> str:
    """``8.0`` → ``8``; otherwise the shortest text that reads back as the same float."""
    return str(int(value)) if value.is_integer() else repr(value)


def _relaxation(condition: Condition, suggestion: str, offers: int) -> Relaxation:
    return Relaxation(condition.param, condition.label, suggestion, offers, float("inf"))
