"""Saved searches: a user's named filter sets or ``q=`` strings, to rerun anywhere.

Only the owner ever reaches a saved search: another user's id answers 404, the same as
an id that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import SavedSearch, User
from accounts.selectors import saved_search_of
from common.errors import Conflict

Filters = dict[str, Any]


def _name_taken() -> Conflict:
    return Conflict("You already have a saved search with this name", code="name_taken")


def _validate(q: str, filters: Filters) -> None:
    """Refuse a search that could never run (the market's own filter parser says why).

    The validator is named in settings, so accounts does not import the market.
    """
    path = getattr(settings, "GPUBROKER_SAVED_SEARCH_VALIDATOR", "")
    if path:
        import_string(path)(filters=filters, q=q)


def saved_search_create(*, user: User, name: str, q: str, filters: Filters) -> SavedSearch:
    _validate(q, filters)
    now = timezone.now()
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(user=user, name=name.strip(), q=q,
                                              filters=filters, created_at=now, updated_at=now)
    except IntegrityError as exc:
        raise _name_taken() from exc


def saved_search_update(*, user: User, search_id: int, changes: dict[str, Any]) -> SavedSearch:
    """Change some of name, q, filters (keys absent from ``changes`` stay)."""
    search = saved_search_of(user=user, search_id=search_id)
    for field in ("name", "q", "filters"):
        if changes.get(field) is not None:
            value = changes[field]
            setattr(search, field, value.strip() if field == "name" else value)
    _validate(search.q, search.filters)
    search.updated_at = timezone.now()
    try:
        with transaction.atomic():
            search.save()
    except IntegrityError as exc:
        raise _name_taken() from exc
    return search


def saved_search_delete(*, user: User, search_id: int) -> None:
    saved_search_of(user=user, search_id=search_id).delete()
