"""Fixtures for accounts/: users, logged-in clients, a clean cache per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from tests.support.cache import cache_clear_own

PASSWORD = "correct horse battery staple 42"
AUTH = "/api/v2/auth"


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache_clear_own()  # rate-limit windows and the token deny-list start empty
    yield
    cache_clear_own()


def make_user(**overrides: Any) -> User:
    fields: dict[str, Any] = {"email": "ada@example.com", "password": PASSWORD, **overrides}
    return User.objects.create_user(**fields)


@pytest.fixture
def user(db: None) -> User:
    return make_user()


@pytest.fixture
def other_user(db: None) -> User:
    return make_user(email="eve@example.com")


def post(client: Client, path: str, body: dict[str, Any] | None = None, **extra: Any) -> Any:
    return client.post(AUTH + path, body or {}, content_type="application/json", **extra)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def key_body(provider: str, api_key: str) -> dict[str, str]:
    """A provider-key save with its step-up (the current password)."""
    return {"provider": provider, "api_key": api_key, "password": PASSWORD}


def login(client: Client, email: str = "ada@example.com", password: str = PASSWORD,
          **extra: Any) -> dict[str, Any]:
    response = post(client, "/login", {"email": email, "password": password, **extra})
    assert response.status_code == 200, response.content
    return response.json()


class Api:
    """A client logged in as one user: ``api.get("/me")`` sends its Bearer token."""

    def __init__(self, client: Client, tokens: dict[str, Any]) -> None:
        self.client, self.tokens = client, tokens

    def _headers(self) -> dict[str, str]:
        return bearer(self.tokens["access_token"])

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(AUTH + path, params, **self._headers())

    def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        return post(self.client, path, body, **self._headers())

    def patch(self, path: str, body: dict[str, Any]) -> Any:
        return self.client.patch(AUTH + path, body, content_type="application/json",
                                 **self._headers())

    def delete(self, path: str, body: dict[str, Any] | None = None) -> Any:
        if body is None:
            return self.client.delete(AUTH + path, **self._headers())
        return self.client.delete(AUTH + path, body, content_type="application/json",
                                  **self._headers())


@pytest.fixture
def api(user: User) -> Api:
    client = Client()
    return Api(client, login(client))


@pytest.fixture
def other_api(other_user: User) -> Api:
    client = Client()
    return Api(client, login(client, email=other_user.email))


@pytest.fixture
def inbox(settings: Any) -> Iterator[Any]:
    """A real SMTP server; Django's mail goes to it over SMTP."""
    from tests.accounts.smtp import smtp_server

    with smtp_server() as (box, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
        yield box
