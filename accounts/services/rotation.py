"""Re-encrypt stored secrets under the current vault key (``rotate_provider_keys``).

Walks provider keys and TOTP secrets; a value already under the primary backend's
current key is left alone, so a rerun after an interruption only does what is left.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import MfaDevice, ProviderKey
from accounts.services.mfa import mfa_aad
from accounts.services.provider_keys import provider_key_aad
from accounts.services.vault import vault

BATCH = 200


@dataclass(frozen=True)
class RewrapResult:
    checked: int
    rewrapped: int


def _rewrap_provider_keys() -> RewrapResult:
    v, checked, rewrapped = vault(), 0, 0
    for row in ProviderKey.objects.order_by("pk").iterator(chunk_size=BATCH):
        checked += 1
        if v.needs_rewrap(row.ciphertext):
            aad = provider_key_aad(user_id=row.user_id, provider=row.provider)
            new = v.rewrap(row.ciphertext, aad=aad)
            rewrapped += ProviderKey.objects.filter(  # unless replaced meanwhile
                pk=row.pk, ciphertext=row.ciphertext).update(ciphertext=new)
    return RewrapResult(checked=checked, rewrapped=rewrapped)


def _rewrap_mfa_secrets() -> RewrapResult:
    v, checked, rewrapped = vault(), 0, 0
    for row in MfaDevice.objects.order_by("pk").iterator(chunk_size=BATCH):
        checked += 1
        if v.needs_rewrap(row.secret_ciphertext):
            new = v.rewrap(row.secret_ciphertext, aad=mfa_aad(row.user_id))
            rewrapped += MfaDevice.objects.filter(
                pk=row.pk, secret_ciphertext=row.secret_ciphertext,
            ).update(secret_ciphertext=new)
    return RewrapResult(checked=checked, rewrapped=rewrapped)


def vault_rewrap_all() -> dict[str, RewrapResult]:
    """Rewrap every stored secret not under the current key; counts per kind."""
    return {"provider_keys": _rewrap_provider_keys(), "mfa_secrets": _rewrap_mfa_secrets()}
