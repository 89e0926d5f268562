"""The answers every operation can give whatever its endpoint declares, added to the schema.

The request guards in front of every view answer 400 (a query string with more than
1,000 parameters, NUL bytes or bad UTF-8; a body that is not a JSON object), 413 (a body
over its limit, too many JSON values), 429 (the general API rate limit) and 503 (the
database or cache went away, ``common.outages``); Ninja answers
422 for a parameter or body its schema refuses; ``JWTAuth`` answers 401, and 403 when a
personal API token's scope does not allow a change (any method but GET/HEAD/OPTIONS); an
operation on an object named in its path answers 404 when there is no such object (or it
is another user's). Answers particular to an endpoint (404 for an unknown name in the
query, 409 for a conflict, 403 for a plan limit) are declared by the endpoint itself
(``common.schemas.errors``). Declaring these here keeps "undocumented status code"
findings out of the fuzz run for new endpoints too.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["detail", "code"],
    "properties": {"detail": {"title": "Detail"}, "code": {"type": "string", "title": "Code"},
                   "retry_after_s": {"type": ["integer", "null"]}, "limit": {}},
}
_WHY = {
    "400": "Bad request: query string, JSON or input refused",
    "401": "Authentication required, or the token is not valid",
    "403": "Not allowed: an API token's scope, a step-up or a plan limit refused it",
    "404": "No such object (or not yours)",
    "413": "Body over its limit (the limit is named), or too many JSON values",
    "422": "A parameter or the body does not match the schema",
    "429": "Rate limited; Retry-After says when to try again",
    "503": "The database or the cache is unreachable; Retry-After says when to try again",
}
_METHODS = {"get", "post", "put", "patch", "delete"}


def _error(code: str) -> dict[str, Any]:
    return {"description": _WHY[code],
            "content": {"application/json": {"schema": ERROR_SCHEMA}}}


def _codes(method: str, operation: dict[str, Any]) -> list[str]:
    codes = ["400", "429", "503"]
    if operation.get("parameters") or operation.get("requestBody"):
        codes.append("422")
    if operation.get("requestBody"):
        codes.append("413")
    if operation.get("security"):
        codes.append("401")
        if method != "get":
            codes.append("403")
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        codes.append("404")
    return codes


def responses_declared(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with every operation declaring the answers the guards can give."""
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _METHODS:
                continue
            # Ninja keys its own answers by int: one key per code, as JSON will have it.
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            for code in _codes(method, operation):
                responses.setdefault(code, _error(code))
            operation["responses"] = responses
    return schema
