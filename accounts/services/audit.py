"""The security audit log: who did what, from which address and client, when.

Events (``AuditEvent.event``): register, register_existing, login_ok, login_failed,
login_mfa_failed, refresh_reuse, logout, password_changed,
password_change_failed, mfa_enroll_started, mfa_enabled, mfa_disabled, mfa_disable_failed,
mfa_recovery_code_used, provider_key_added, provider_key_replaced, provider_key_removed.
Details never carry a secret (no password, token, code or key).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.models import AuditEvent, User

USER_AGENT_MAX = 256


@dataclass(frozen=True)
class RequestMeta:
    """Where a request came from; what services need of it for the audit log."""

    ip: str | None = None
    user_agent: str = ""


def audit_record(
    *, event: str, user: User | None, meta: RequestMeta, **details: Any
) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user,
        event=event,
        ip=meta.ip,
        user_agent=meta.user_agent[:USER_AGENT_MAX],
        details=details,
    )
