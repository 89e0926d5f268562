"""Shapes every area's API shares: the one error body, strict request bodies, error answers.

``StrictIn`` is the base of every request body: JSON types as the schema says them, no
silent coercion (``0`` is not ``false``, ``"1"`` is not ``1``, ``true`` is not ``1``; an
integer is a number without a fraction; a nested object must be an object). A refusal is
Ninja's 422 naming the field and what it expected. Query and path parameters arrive as
text and stay lax (``?page=2``).

``errors(404, 409)`` is the ``response=`` part of the error answers an endpoint gives
beyond those every operation may give (``config.openapi`` adds 400, 401, 403, 413, 422,
429 where they apply).
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, ModelWrapValidatorHandler, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError


class ErrorOut(Schema):
    """``{"detail": …, "code": …}``: every 4xx answer (see ``common.errors``)."""

    detail: Any
    code: str
    retry_after_s: int | None = None
    problems: list[str] | None = None


class StrictIn(Schema):
    """A request body, validated strictly (see the module docstring)."""

    model_config = ConfigDict(strict=True)

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any],
                            info: ValidationInfo) -> Any:
        """Replaces Ninja's, which reads any value's attributes (so ``null`` or a list
        became an object of defaults): a body or a nested object is a JSON object."""
        if not isinstance(values, dict | cls):
            raise PydanticCustomError("model_type", "Input should be a JSON object")
        return handler(values)


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """``{code: ErrorOut}`` for ``response={200: XOut, **errors(404)}``."""
    return dict.fromkeys(codes, ErrorOut)
