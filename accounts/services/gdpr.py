"""GDPR: a user's data on request (export) and the account erased on request.

Both walk the models instead of listing them: every model with a foreign key (or one-to-one)
to the user, in any app, is exported and erased, so a new area's data is covered the day
it lands. Secrets never leave: password hashes, token digests and ciphertexts are left out
of the export (provider keys appear as metadata: provider, last four characters, dates).
Erasure deletes the account and everything that cascades from it at once, including its
audit events, and leaves one pseudonymous ``account_erased`` event (an HMAC of the address
under the server's secret, so operators can answer "was this account erased?" without
keeping the address).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services.audit import RequestMeta, audit_record
from accounts.services.mfa import mfa_enabled_device
from accounts.services.quotas import plan_cache_forget, plan_of
from accounts.services.stepup import stepup_verify

_SECRET_SUFFIXES = ("_hash", "ciphertext", "password", "secret")


def _is_secret(field: models.Field[Any, Any]) -> bool:
    return field.name.endswith(_SECRET_SUFFIXES)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def _row(obj: models.Model) -> dict[str, Any]:
    return {f.attname: _plain(getattr(obj, f.attname)) for f in obj._meta.concrete_fields
            if not _is_secret(f)}


def user_related_models() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) whose foreign key or one-to-one points at the user model."""
    found = []
    for rel in User._meta.related_objects:
        if rel.one_to_many or rel.one_to_one:
            found.append((rel.related_model, rel.field.name))
    return sorted(found, key=lambda pair: pair[0]._meta.label)


def _profile(user: User) -> dict[str, Any]:
    return {"id": user.pk, "email": user.email, "date_joined": _plain(user.date_joined),
            "email_verified": user.email_verified_at is not None,
            "email_verified_at": _plain(user.email_verified_at), "plan": plan_of(user).name,
            "mfa_enabled": mfa_enabled_device(user) is not None, "is_staff": user.is_staff,
            "last_login": _plain(user.last_login)}


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything stored about ``user``: the profile, then one list per related model."""
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat(), "profile": _profile(user)}
    for model, field in user_related_models():
        rows = model._default_manager.filter(**{field: user}).order_by("pk")
        data[model._meta.label] = [_row(obj) for obj in rows]
    return data


def _pseudonym(email: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email.lower().encode(), hashlib.sha256).hexdigest()[:32]


def user_erase(*, user: User, password: str, otp: str | None, meta: RequestMeta) -> None:
    """Delete the account and all its data now; one pseudonymous audit event remains."""
    stepup_verify(user=user, password=password, otp=otp, action="account_erase", meta=meta)
    pseudonym, user_id = _pseudonym(user.email), user.pk
    with transaction.atomic():
        for model, field in user_related_models():
            model._default_manager.filter(**{field: user}).delete()
        user.delete()
        # No address or user agent: the erased person's request metadata is not kept either.
        audit_record(event="account_erased", user=None, meta=RequestMeta(), subject=pseudonym)
    plan_cache_forget(user_id)
