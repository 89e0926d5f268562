"""Fixtures for accounts/: users, clients with tokens, a clean cache per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from accounts.models import User

PASSWORD = "correct horse battery staple 42"


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()  # rate-limit windows and the token deny-list start empty
    yield
    cache.clear()


def make_user(**overrides: object) -> User:
    fields: dict[str, object] = {"email": "ada@example.com", "password": PASSWORD, **overrides}
    return User.objects.create_user(**fields)  # type: ignore[arg-type]


@pytest.fixture
def user(db: None) -> User:
    return make_user()
