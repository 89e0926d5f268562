"""Password rules and checks that do not let timing tell who has an account.

Strength: Django's validators as configured in settings (at least 12 characters, not
one of the ~20,000 common passwords Django ships, not all digits, not close to the
e-mail address); at most 128 characters (the schemas), no composition rules
(ASVS 2.1.9). Hashing: Argon2id (``accounts.hashers``).
"""

from __future__ import annotations

import functools
import secrets

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from accounts.models import User
from common.errors import InvalidInput


def password_validate(*, password: str, user: User) -> None:
    """Raise InvalidInput listing every rule ``password`` breaks."""
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise InvalidInput("Password too weak", code="weak_password",
                           problems=list(exc.messages)) from exc


@functools.cache
def _dummy_hash() -> str:
    return make_password(secrets.token_urlsafe(16))


def password_matches(*, user: User | None, password: str) -> bool:
    """Whether ``password`` is ``user``'s; as slow when there is no (active) user."""
    if user is None or not user.is_active:
        check_password(password, _dummy_hash())
        return False
    return user.check_password(password)
