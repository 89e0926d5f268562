"""How the live adapters talk HTTP: timeouts, retries, a size cap (tenacity does the retrying).

Every request of a live adapter goes through ``request_json``:

- a timeout per request (the adapter's ``TIMEOUT_S``, capped by ``GPUBROKER_HTTP_TIMEOUT_S``);
- retries on connection errors, timeouts, 429 and 5xx, with exponential backoff and full
  jitter (``GPUBROKER_HTTP_BACKOFF_S`` doubling up to ``GPUBROKER_HTTP_BACKOFF_MAX_S``), at most
  ``GPUBROKER_HTTP_ATTEMPTS`` tries; a ``Retry-After`` answer (seconds or an HTTP date) is
  waited for, up to ``GPUBROKER_HTTP_RETRY_AFTER_MAX_S``;
- the body read in chunks and refused past ``GPUBROKER_HTTP_MAX_BYTES``;
- a body that is not JSON (a truncated answer, an HTML error page) rejected as a whole.

Other 4xx answers are not retried: the request itself is wrong (a bad key, a moved path).
"""

from __future__ import annotations

import email.utils
import json
import math
import time
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from market.adapters.errors import PayloadRejected, ProviderError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpPolicy:
    timeout_s: float = 30.0
    attempts: int = 3
    backoff_s: float = 1.0
    backoff_max_s: float = 30.0
    retry_after_max_s: float = 120.0
    max_bytes: int = 64 * 1024 * 1024


def http_policy(timeout_s: float) -> HttpPolicy:
    """The settings' policy, with ``timeout_s`` (an adapter's own) capped by the server's."""
    cap = float(getattr(settings, "GPUBROKER_HTTP_TIMEOUT_S", timeout_s))
    return HttpPolicy(
        timeout_s=min(timeout_s, cap),
        attempts=max(1, int(getattr(settings, "GPUBROKER_HTTP_ATTEMPTS", 3))),
        backoff_s=float(getattr(settings, "GPUBROKER_HTTP_BACKOFF_S", 1.0)),
        backoff_max_s=float(getattr(settings, "GPUBROKER_HTTP_BACKOFF_MAX_S", 30.0)),
        retry_after_max_s=float(getattr(settings, "GPUBROKER_HTTP_RETRY_AFTER_MAX_S", 120.0)),
        max_bytes=int(getattr(settings, "GPUBROKER_HTTP_MAX_BYTES", 64 * 1024 * 1024)),
    )


class RetryableStatus(ProviderError):
    """A 429 or 5xx answer; ``retry_after`` is the wait the server asked for, in seconds."""

    def __init__(self, status: int, retry_after: float | None, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    url: str


def request_json(client: httpx.Client, method: str, url: str, *, name: str,
                 policy: HttpPolicy, **kwargs: Any) -> Any:
    """The JSON body of a successful answer, after the retries the policy allows."""
    answer = request_bytes(client, method, url, name=name, policy=policy, **kwargs)
    try:
        return json.loads(answer.body)
    except ValueError as exc:
        raise PayloadRejected(f"{name}: answer is not JSON, rejected whole "
                              f"({len(answer.body)} bytes: {exc})") from None


def request_bytes(client: httpx.Client, method: str, url: str, *, name: str,
                  policy: HttpPolicy, **kwargs: Any) -> Answer:
    retrying = Retrying(
        stop=stop_after_attempt(policy.attempts),
        wait=_wait(policy),
        retry=retry_if_exception_type((httpx.TransportError, RetryableStatus)),
        reraise=True,
    )
    try:
        for attempt in retrying:
            with attempt:
                return _send(client, method, url, name=name, policy=policy, **kwargs)
    except httpx.TimeoutException as exc:
        raise ProviderError(f"{name}: timed out after {policy.timeout_s:g} s "
                            f"({policy.attempts} attempts; {type(exc).__name__})") from None
    except httpx.TransportError as exc:
        raise ProviderError(f"{name}: cannot connect ({policy.attempts} attempts; "
                            f"{type(exc).__name__}: {exc})") from None
    raise AssertionError("unreachable: tenacity either returns or reraises")


def _send(client: httpx.Client, method: str, url: str, *, name: str, policy: HttpPolicy,
          **kwargs: Any) -> Answer:
    with client.stream(method, url, timeout=policy.timeout_s, **kwargs) as response:
        if response.status_code in RETRY_STATUSES:
            wait = retry_after_s(response.headers.get("retry-after"))
            raise RetryableStatus(response.status_code, wait,
                                  f"{name}: HTTP {response.status_code} from {_path(url)}")
        body = _read_capped(response, name=name, limit=policy.max_bytes)
        if response.status_code >= 400:
            raise ProviderError(f"{name}: HTTP {response.status_code} from {_path(url)}: "
                                f"{body[:200].decode(errors='replace')}")
        return Answer(response.status_code, body, str(response.url))


def _read_capped(response: httpx.Response, *, name: str, limit: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadRejected(f"{name}: answer of {int(declared)} bytes is over the "
                              f"{limit}-byte cap, rejected whole")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise PayloadRejected(f"{name}: answer is over the {limit}-byte cap, rejected whole")
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after_s(value: str | None, *, now: float | None = None) -> float | None:
    """``Retry-After`` in seconds: delay-seconds or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, seconds) if math.isfinite(seconds) else None


def _wait(policy: HttpPolicy) -> Any:
    backoff = wait_random_exponential(multiplier=policy.backoff_s, max=policy.backoff_max_s)

    def wait(state: RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome else None
        asked = failure.retry_after if isinstance(failure, RetryableStatus) else None
        if asked is not None:  # the server said how long: wait that (up to the cap)
            return min(asked, policy.retry_after_max_s)
        return float(backoff(state))

    return wait


def _path(url: str) -> str:
    return httpx.URL(url).path
