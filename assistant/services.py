"""Services of the assistant: parse a request; chat (see `assistant.chat`)."""

from __future__ import annotations

from typing import Any

from assistant.errors import message_checked
from assistant.parser import request_parse


def request_parsed(*, text: object) -> dict[str, Any]:
    """POST /parse-workload: the parse of one request (InvalidInput for bad text)."""
    return request_parse(message_checked(text, field="text")).as_dict()
