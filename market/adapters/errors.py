"""Why an adapter gave no offers: it could not ask, the provider failed, or the answer was bad."""

from __future__ import annotations


class ProviderUnavailable(Exception):
    """The provider cannot be asked (no key, disabled); ``status`` says which."""

    def __init__(self, status: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status


class ProviderError(Exception):
    """The provider answered, but not with offers (an error body, a malformed payload)."""


class PayloadRejected(ProviderError):
    """A malformed or partial answer (not JSON, over the size cap, a field renamed or missing,
    an empty list): rejected as a whole, never half-stored."""
