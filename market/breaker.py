"""The circuit breaker's state as stored on a provider row, read-only (shown in /providers/config;
``market.services.breaker`` moves it)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from market.models import Provider

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


def breaker_threshold() -> int:
    """Failed syncs in a row that open the breaker."""
    return max(1, int(settings.GPUBROKER_BREAKER_FAILURES))


def breaker_reset() -> timedelta:
    """How long an open breaker waits before its half-open probe."""
    return timedelta(seconds=float(settings.GPUBROKER_BREAKER_RESET_S))


def breaker_retry_at(provider: Provider) -> datetime | None:
    if provider.breaker_state != OPEN or provider.breaker_opened_at is None:
        return None
    return provider.breaker_opened_at + breaker_reset()


def breaker_status(provider: Provider) -> dict[str, Any]:
    return {"state": provider.breaker_state, "failures": provider.breaker_failures,
            "threshold": breaker_threshold(), "opened_at": provider.breaker_opened_at,
            "retry_at": breaker_retry_at(provider)}
