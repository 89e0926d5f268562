"""Start-up checks for the secrets accounts/ needs in production (imported by settings)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured


def require_production_secrets(
    *, jwt_private_key: str, vault_keys: str, vault_addr: str, vault_token: str
) -> None:
    """Refuse to start with ``DJANGO_DEBUG=0`` unless signing and vault keys are given."""
    missing = []
    if not jwt_private_key.strip():
        missing.append("JWT_PRIVATE_KEY")
    if vault_addr:
        if not vault_token:
            missing.append("VAULT_TOKEN (VAULT_ADDR is set)")
    elif not vault_keys.strip():
        missing.append("GPUBROKER_VAULT_KEYS (or VAULT_ADDR + VAULT_TOKEN)")
    if missing:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG=0 needs these secrets in the environment: " + ", ".join(missing)
        )
