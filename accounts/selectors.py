"""Read-side functions of accounts/: every query is scoped to the requesting user."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import AuditEvent, MfaDevice, ProviderKey, SavedSearch, User
from common.errors import NotFound


def mfa_is_enabled(*, user: User) -> bool:
    return MfaDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def provider_keys_of(*, user: User) -> QuerySet[ProviderKey]:
    return ProviderKey.objects.filter(user=user).order_by("provider")


def audit_events_of(*, user: User, limit: int, offset: int) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(user=user).order_by("-created_at", "-pk")
    return list(events[offset:offset + limit])


def saved_searches_of(*, user: User) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user).order_by("name")


def saved_search_of(*, user: User, search_id: int) -> SavedSearch:
    """The user's saved search ``search_id``; NotFound for anyone else's."""
    search = SavedSearch.objects.filter(user=user, pk=search_id).first()
    if search is None:
        raise NotFound("No such saved search")
    return search


def saved_search_named(*, user: User, name: str) -> SavedSearch:
    """One of ``user``'s saved searches by its name; NotFound otherwise."""
    search = SavedSearch.objects.filter(user=user, name=name.strip()).first()
    if search is None:
        raise NotFound(f"you have no saved search named '{name}'")
    return search
