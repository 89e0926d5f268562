"""Fixtures for assistant/: clients, users with Bearer tokens, a clean cache per test."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.support.cache import cache_clear_own

CHAT = "/api/v2/ai/chat"


@pytest.fixture(autouse=True)
def _clean_cache(settings: Any) -> Iterator[None]:
    cache_clear_own()  # rate-limit windows start empty
    settings.GPUBROKER_LLM = {**settings.GPUBROKER_LLM, "base_url": ""}  # built-in by default
    yield
    cache_clear_own()


def bearer(user: Any) -> dict[str, str]:
    from accounts.services.refresh import token_pair_issue

    return {"HTTP_AUTHORIZATION": f"Bearer {token_pair_issue(user=user).access_token}"}


def chat(body: Any, **headers: Any) -> Any:
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return Client().post(CHAT, data, content_type="application/json", **headers)


@pytest.fixture
def ada(db: None) -> Any:
    from accounts.models import User

    return User.objects.create_user(email="ada@example.com", password="assistant pass 2024")


@pytest.fixture
def eve(db: None) -> Any:
    from accounts.models import User

    return User.objects.create_user(email="eve@example.com", password="assistant pass 2024")
