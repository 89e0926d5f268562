"""Errors of the math core. The API layer renders MathInputError as a 400."""

from __future__ import annotations


class MathInputError(ValueError):
    """Input that the math cannot work on; the message names the problem and where."""
