"""The one error tree. Services raise these; one handler renders them as JSON.

    BrokerError (500, "error")
    ├── BadRequest (400, "bad_request")
    │   ├── InvalidFilter (400, "invalid_filter")       bad query parameter or q= token
    │   └── InvalidInput (400, "invalid_input")         bad body for a computation
    ├── Unauthorized (401, "unauthorized")
    ├── Forbidden (403, "forbidden")
    ├── NotFound (404, "not_found")
    ├── Conflict (409, "conflict")
    ├── PayloadTooLarge (413, "payload_too_large")     body or JSON over a named limit
    ├── RateLimited (429, "rate_limited")              carries retry_after_s
    ├── UpstreamError (502, "upstream_error")          a provider or remote service failed
    └── ServiceUnavailable (503, "service_unavailable") a backing store is down; carries
                                                       retry_after_s

Rendered as ``{"detail": <message>, "code": <code>, ...extra}``.
Services never raise HTTP errors of a web framework; endpoints never build error bodies.
"""

from __future__ import annotations

from typing import Any


class BrokerError(Exception):
    code = "error"
    http_status = 500

    def __init__(self, detail: str, *, code: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.extra = extra

    def as_body(self) -> dict[str, Any]:
        return {"detail": self.detail, "code": self.code, **self.extra}


class BadRequest(BrokerError):
    code = "bad_request"
    http_status = 400


class InvalidFilter(BadRequest):
    code = "invalid_filter"


class InvalidInput(BadRequest):
    code = "invalid_input"


class Unauthorized(BrokerError):
    code = "unauthorized"
    http_status = 401


class Forbidden(BrokerError):
    code = "forbidden"
    http_status = 403


class NotFound(BrokerError):
    code = "not_found"
    http_status = 404


class Conflict(BrokerError):
    code = "conflict"
    http_status = 409


class PayloadTooLarge(BrokerError):
    code = "payload_too_large"
    http_status = 413


class RateLimited(BrokerError):
    code = "rate_limited"
    http_status = 429

    def __init__(self, detail: str, *, retry_after_s: int, **extra: Any) -> None:
        super().__init__(detail, retry_after_s=retry_after_s, **extra)
        self.retry_after_s = retry_after_s


class UpstreamError(BrokerError):
    code = "upstream_error"
    http_status = 502


class ServiceUnavailable(BrokerError):
    """A backing store (the database, Redis) cannot be reached; the client may retry."""

    code = "service_unavailable"
    http_status = 503

    def __init__(self, detail: str, *, code: str | None = None, retry_after_s: int = 5) -> None:
        super().__init__(detail, code=code, retry_after_s=retry_after_s)
        self.retry_after_s = retry_after_s
