"""The assistant's errors, in the one error tree (`common.errors`)."""

from __future__ import annotations

from common.errors import BadRequest, InvalidInput

MAX_MESSAGE_CHARS = 2000


class MessageTooLong(BadRequest):
    code = "message_too_long"
    http_status = 413


def message_checked(text: object, *, field: str) -> str:
    """``text`` stripped, if it is a plain, non-empty message of at most MAX_MESSAGE_CHARS.

    Raises InvalidInput (empty, not text, control or binary characters) or MessageTooLong.
    """
    if not isinstance(text, str):
        raise InvalidInput(f"{field} must be a string", field=field)
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(f"{field} is empty: say what you need, e.g. 'cheapest H100'",
                           field=field)
    if len(stripped) > MAX_MESSAGE_CHARS:
        raise MessageTooLong(f"{field} has {len(stripped)} characters; at most "
                             f"{MAX_MESSAGE_CHARS} are read", field=field)
    if any(_is_binary(c) for c in stripped):
        raise InvalidInput(f"{field} contains control or binary characters", field=field)
    return stripped


def _is_binary(char: str) -> bool:
    code = ord(char)
    return (code < 32 and char not in "\t\n\r") or code == 0x7F or 0xD800 <= code <= 0xDFFF \
        or char == "\ufffd"
