"""Request bodies as ``RequestLimitsMiddleware`` parsed them: within limits, strict JSON.

The middleware checked size and shape, parsed the body with orjson and refused anything
but a JSON object (``request.json_body``). The parser re-checks the last rule: a Ninja
``Schema`` reads attributes, so a list such as ``[null, null]`` would otherwise pass as an
object whose fields all took their defaults.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest
from ninja.parser import Parser


class ORJSONParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = getattr(request, "json_body", None)
        if data is None:  # a request that did not pass the middleware
            data = orjson.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("a request body of this API is a JSON object")
        return data
