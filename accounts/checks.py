"""System checks: the signing key and the vault keys load (``manage.py check``)."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from accounts.services.keys import signing_key
from accounts.services.vault import vault


@register(Tags.security)
def accounts_secrets_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for check_id, load in (("accounts.E001", signing_key), ("accounts.E002", vault)):
        try:
            load()
        except (ImproperlyConfigured, ValueError) as exc:
            errors.append(Error(str(exc), id=check_id))
    return errors
