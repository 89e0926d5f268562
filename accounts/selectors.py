"""Read-side functions of accounts/: every query is scoped to the requesting user."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from accounts.models import ApiToken, AuditEvent, MfaDevice, ProviderKey, User
from accounts.services.provider_keys import provider_key_for


def mfa_is_enabled(*, user: User) -> bool:
    return MfaDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def provider_keys_of(*, user: User) -> QuerySet[ProviderKey]:
    return ProviderKey.objects.filter(user=user).order_by("provider")


def audit_events_of(*, user: User, limit: int, offset: int) -> list[AuditEvent]:
    events = AuditEvent.objects.filter(user=user).order_by("-created_at", "-pk")
    return list(events[offset:offset + limit])


def provider_key_of(*, user: User, names: Iterable[str]) -> str | None:
    """The key ``user`` saved under the first of ``names`` that has one (decrypted), or None."""
    for name in dict.fromkeys(names):
        if key := provider_key_for(user=user, provider=name):
            return key
    return None


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")
