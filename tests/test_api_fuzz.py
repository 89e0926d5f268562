"""The whole ``/api/v2`` fuzzed from its own OpenAPI schema (schemathesis, in CI).

Every operation of every area, as served by ``/api/v2/openapi.json``, gets generated
requests (examples, coverage and fuzzing phases; valid and invalid inputs) through the
real Django WSGI stack, authenticated as a freshly registered user with a Bearer token.
Checks: no 5xx (``not_a_server_error``); every status code an operation answers is
declared in its schema (``status_code_conformance``); documented responses match their
schema (``response_schema_conformance``); and what the schema forbids is refused with a
4xx (``negative_data_rejection``: e.g. ``[null, null]`` as a body, ``0`` for a boolean).
Deterministic (``derandomize``) and bounded (``MAX_EXAMPLES`` per operation: about 4,000
cases, a few minutes, run on SQLite and on PostgreSQL in CI). The user is on the
Enterprise plan with the rate limits lifted and a fresh cache prefix per operation: a 429
satisfies every check, so a rate-limited run would hide findings. The run prints the
number of generated cases; ``docs/SECURITY.md`` records it.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import User
from accounts.services.refresh import token_pair_issue

MAX_EXAMPLES = 25
UNLIMITED = "1000000/60"
CASES: Counter[str] = Counter()
_PREFIXES = itertools.count(int(time.time()))
OTHER_LOCATIONS = (ParameterLocation.BODY, ParameterLocation.PATH, ParameterLocation.HEADER,
                   ParameterLocation.COOKIE)


def _as_text(value: Any) -> str:
    """A query value as it travels: text (``false`` for False, as the transport writes it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _accepts_list(schema: dict[str, Any]) -> bool:
    """A repeatable parameter (``gpu=A&gpu=B``): its schema is an array (or allows one)."""
    return schema.get("type") == "array" or any(
        member.get("type") == "array" for member in schema.get("anyOf", []))


def _query_valid_as_sent(case: Any) -> bool:
    """Whether a case negative only in its query is valid once its values are text.

    A query string carries text: ``gpu=false`` is the string "false" (for a repeatable
    parameter, the list of that one string), a valid (unknown) GPU name, whatever type the
    generator meant. schemathesis forgives this for numeric parameters only, so for a text
    parameter it reported "schema-violating request accepted" for a request that violates
    nothing."""
    meta = case.meta
    if meta is None or not meta.is_negative_at(ParameterLocation.QUERY):
        return False
    if any(meta.is_negative_at(location) for location in OTHER_LOCATIONS):
        return False
    container = case.operation.get_parameter_set(ParameterLocation.QUERY)
    if not container or not isinstance(case.query, dict):
        return False
    properties = container.schema.get("properties", {})
    sent: dict[str, Any] = {}
    for name, value in case.query.items():
        if isinstance(value, dict) or (isinstance(value, list) and any(
                isinstance(item, (list, dict)) for item in value)):
            return False  # nested values: left to schemathesis
        texts = [_as_text(item) for item in value] if isinstance(value, list) else [
            _as_text(value)]
        if _accepts_list(properties.get(str(name), {})):
            sent[str(name)] = texts
        elif len(texts) == 1:
            sent[str(name)] = texts[0]
        else:
            return False
    return container.get_strict_validator().is_valid(sent)


def negative_data_rejection_as_sent(ctx: CheckContext, response: Any, case: Any
                                    ) -> bool | None:
    """schemathesis' ``negative_data_rejection``, except for queries valid as sent."""
    if _query_valid_as_sent(case):
        return None
    return negative_data_rejection(ctx, response, case)


CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          negative_data_rejection_as_sent]


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Iterator[None]:
    # Like Django's test client: a request must not close the test's DB connection
    # (each test runs inside a transaction that is rolled back afterwards).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def _case_count_report() -> Iterator[None]:
    """After the fuzz items of this process: how many cases were generated (``pytest -s``)."""
    yield
    if CASES:
        print(f"\nschemathesis generated {sum(CASES.values())} cases "
              f"over {len(CASES)} operations")


@pytest.fixture
def fuzz_user(db: None, settings: Any) -> User:
    settings.GPUBROKER_RATE_LIMITS = {k: UNLIMITED for k in settings.GPUBROKER_RATE_LIMITS}
    # The plan's rate (api_requests_per_min) counts in the cache: a fresh key prefix per
    # operation, or every case after the first 120 of a minute would be a 429.
    settings.CACHES = {"default": {**settings.CACHES["default"],
                                   "KEY_PREFIX": f"fuzz{next(_PREFIXES)}"}}
    # Enterprise: no daily live-query cap, 3,000 requests a minute (operations with many
    # parameters get a few hundred cases; the free plan's 120 would answer most with 429).
    return User.objects.create_user(email="fuzz@example.com", password="fuzzing passphrase 9",
                                    plan="enterprise")


# Loaded at import (pytest-django has set Django up by then); serving the schema needs
# no database. (schemathesis.pytest.from_fixture does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v2/openapi.json", get_wsgi_application())


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api(case: Any, fuzz_user: User) -> None:
    user = User.objects.get(pk=fuzz_user.pk)  # logout "everywhere" may have moved it on
    token = token_pair_issue(user=user).access_token
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    CASES[case.operation.label] += 1
    case.call_and_validate(checks=CHECKS)
