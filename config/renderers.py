"""JSON rendering with orjson: several times faster than the standard library on offer pages
(the same writer as the CLI's ``--json``, ``common.jsonout``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.renderers import BaseRenderer

from common.jsonout import json_bytes


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return json_bytes(data)
