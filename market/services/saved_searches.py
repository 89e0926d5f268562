"""Saved searches: a user's named filter sets or ``q=`` strings, to rerun anywhere.

Only the owner ever reaches a saved search: another user's id answers 404, the same as an
id that does not exist. A search that could never run is refused by the query parser itself.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.errors import Conflict
from market.models import SavedSearch
from market.query.filters import filters_validate
from market.selectors import saved_search_of

Filters = dict[str, Any]


def _name_taken() -> Conflict:
    return Conflict("You already have a saved search with this name", code="name_taken")


def saved_search_create(*, user: Any, name: str, q: str, filters: Filters) -> SavedSearch:
    filters_validate(filters=filters, q=q)
    now = timezone.now()
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(user=user, name=name.strip(), q=q,
                                              filters=filters, created_at=now, updated_at=now)
    except IntegrityError as exc:
        raise _name_taken() from exc


def saved_search_update(*, user: Any, search_id: int, changes: dict[str, Any]) -> SavedSearch:
    """Change some of name, q, filters (keys absent from ``changes`` stay)."""
    search = saved_search_of(user=user, search_id=search_id)
    for field in ("name", "q", "filters"):
        if changes.get(field) is not None:
            value = changes[field]
            setattr(search, field, value.strip() if field == "name" else value)
    filters_validate(filters=search.filters, q=search.q)
    search.updated_at = timezone.now()
    try:
        with transaction.atomic():
            search.save()
    except IntegrityError as exc:
        raise _name_taken() from exc
    return search


def saved_search_delete(*, user: Any, search_id: int) -> None:
    saved_search_of(user=user, search_id=search_id).delete()
