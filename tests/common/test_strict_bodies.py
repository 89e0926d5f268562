"""Every request body is validated strictly: what the schema forbids is refused (422 naming
the field), never coerced. Walks every ``/api/v2`` operation with a JSON body in the served
OpenAPI schema, so a new endpoint is covered the day it is added.

Regression for the probe's "schema-violating request accepted" findings: ``everywhere: 0``
taken as ``false`` at logout, ``"1"`` taken as ``1``, and a nested object given as ``null``
or a list read as an object of defaults.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from accounts.services.refresh import token_pair_issue

pytestmark = pytest.mark.django_db

# Wrong JSON types per declared type: each a value lax validation used to coerce.
WRONG = {"boolean": [0, 1, "true"], "integer": ["1", True, 1.5], "number": ["1.5", True],
         "string": [1, True], "object": [[None, None], None, "x"]}
_PREFIXES = itertools.count(int(time.time()))


def _schema() -> dict[str, Any]:
    response = Client().get("/api/v2/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _types(schema: dict[str, Any], prop: dict[str, Any]) -> set[str]:
    """The JSON types a property allows (``anyOf`` members and ``null`` included)."""
    prop = _resolved(schema, prop)
    if "anyOf" in prop:
        return set().union(*(_types(schema, p) for p in prop["anyOf"]))
    return {prop["type"]} if isinstance(prop.get("type"), str) else set()


def _cases() -> Iterator[tuple[str, str, str, Any]]:
    schema = _schema()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if not body:
                continue
            url = re.sub(r"\{[^}]+\}", "1", path)
            properties = _resolved(schema, body["schema"]).get("properties", {})
            for name, prop in sorted(properties.items()):
                allowed = _types(schema, prop)
                for kind in sorted(allowed & WRONG.keys()):
                    for value in WRONG[kind]:
                        if not _allowed(value, allowed):
                            yield method, url, name, value


def _allowed(value: Any, types: set[str]) -> bool:
    kinds = {bool: "boolean", int: "integer", float: "number", str: "string",
             list: "array", dict: "object", type(None): "null"}
    kind = kinds[type(value)]
    return kind in types or (kind == "integer" and "number" in types)




@pytest.fixture
def bearer(settings: Any) -> str:
    settings.GPUBROKER_RATE_LIMITS = {k: "1000000/60" for k in settings.GPUBROKER_RATE_LIMITS}
    settings.CACHES = {"default": {**settings.CACHES["default"],
                                   "KEY_PREFIX": f"strict{next(_PREFIXES)}"}}
    user = User.objects.create_user(email="strict@example.com", password="strict passphrase 7",
                                    plan="enterprise")
    return f"Bearer {token_pair_issue(user=user).access_token}"


def test_every_body_field_refuses_the_json_types_its_schema_forbids(bearer: str) -> None:
    cases = list(_cases())
    assert len({(m, u) for m, u, _, _ in cases}) >= 20  # every body operation is walked
    accepted = []
    for method, url, name, value in cases:
        response = getattr(Client(), method)(url, {name: value}, content_type="application/json",
                                             HTTP_AUTHORIZATION=bearer)
        problems = response.json().get("detail") if response.status_code == 422 else None
        named = isinstance(problems, list) and any(name in p.get("loc", []) for p in problems)
        if not named:
            accepted.append(f"{method.upper()} {url} {name}={value!r}: {response.status_code}")
    assert accepted == []


@pytest.mark.parametrize("everywhere", [0, 1, "true", "yes"])
def test_logout_everywhere_is_a_boolean(bearer: str, everywhere: Any) -> None:
    response = Client().post("/api/v2/auth/logout", {"everywhere": everywhere},
                             content_type="application/json", HTTP_AUTHORIZATION=bearer)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "everywhere"


@pytest.mark.parametrize("workload", [None, [None, None], "llama"])
def test_a_nested_object_given_as_null_or_a_list_is_refused(workload: Any) -> None:
    response = Client().post("/api/v2/math/recommend", {"workload": workload},
                             content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "workload"
