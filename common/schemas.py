"""Shapes every area's API shares: the one error body."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """``{"detail": …, "code": …}``: every 4xx answer (see ``common.errors``)."""

    detail: Any
    code: str
    retry_after_s: int | None = None
    problems: list[str] | None = None
