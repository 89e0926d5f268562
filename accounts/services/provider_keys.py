"""The provider-key vault: a user's API keys for RunPod, Vast.ai, Lambda ... encrypted.

Saved keys are never returned: the API shows the provider and the last four
characters. Adapters get the plaintext for one user's query through
``provider_key_for(user=..., provider=...)``.
"""

from __future__ import annotations

import re

from django.utils import timezone

from accounts.models import ProviderKey, User
from accounts.services.audit import RequestMeta, audit_record
from accounts.services.stepup import stepup_verify
from accounts.services.vault import vault
from common.errors import InvalidInput, NotFound

PROVIDER_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
API_KEY_MIN = 8


def provider_normalize(provider: str) -> str:
    name = provider.strip().lower()
    if not PROVIDER_RE.match(name):
        raise InvalidInput("provider: 1-32 of a-z 0-9 . _ -, starting with a letter or digit",
                           code="invalid_provider")
    return name


def provider_key_aad(*, user_id: int, provider: str) -> bytes:
    """Associated data binding a stored key to its owner and provider."""
    return f"gpubroker/provider-key/{user_id}/{provider}".encode()


def _api_key_checked(api_key: str) -> str:
    key = api_key.strip()
    if len(key) < API_KEY_MIN or any(ord(c) < 32 or ord(c) == 127 for c in key):
        raise InvalidInput(f"api_key: at least {API_KEY_MIN} printable characters",
                           code="invalid_api_key")
    return key


def provider_key_save(*, user: User, provider: str, api_key: str, password: str,
                      otp: str | None, meta: RequestMeta) -> ProviderKey:
    """Store (or replace) the user's key for ``provider``; needs a step-up."""
    provider, api_key = provider_normalize(provider), _api_key_checked(api_key)
    stepup_verify(user=user, password=password, otp=otp, meta=meta,
                   action="provider_key_change")
    ciphertext = vault().encrypt(api_key.encode(),
                                 aad=provider_key_aad(user_id=user.pk, provider=provider))
    now = timezone.now()
    row, created = ProviderKey.objects.update_or_create(
        user=user, provider=provider,
        defaults={"ciphertext": ciphertext, "last4": api_key[-4:], "updated_at": now},
        create_defaults={"ciphertext": ciphertext, "last4": api_key[-4:],
                         "created_at": now, "updated_at": now},
    )
    event = "provider_key_added" if created else "provider_key_replaced"
    audit_record(event=event, user=user, meta=meta, provider=provider, key_id=row.pk)
    return row


def provider_key_delete(*, user: User, key_id: int, password: str, otp: str | None,
                        meta: RequestMeta) -> None:
    """Remove one of the user's keys; needs a step-up."""
    row = ProviderKey.objects.filter(user=user, pk=key_id).first()
    if row is None:
        raise NotFound("No such provider key")
    stepup_verify(user=user, password=password, otp=otp, meta=meta,
                   action="provider_key_change")
    row.delete()
    audit_record(event="provider_key_removed", user=user, meta=meta, provider=row.provider,
                 key_id=key_id)


def provider_key_for(*, user: User, provider: str) -> str | None:
    """The plaintext API key ``user`` saved for ``provider``, or None."""
    name = provider.strip().lower()
    row = ProviderKey.objects.filter(user=user, provider=name).first()
    if row is None:
        return None
    aad = provider_key_aad(user_id=user.pk, provider=name)
    return vault().decrypt(row.ciphertext, aad=aad).decode()
