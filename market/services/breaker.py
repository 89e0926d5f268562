"""A circuit breaker per provider, its state on the provider row (shown in /providers/config).

Closed: every sync asks the provider. After ``GPUBROKER_BREAKER_FAILURES`` failed syncs in a
row it opens: syncs skip the provider (its last good offers stay, marked stale) until
``GPUBROKER_BREAKER_RESET_S`` seconds have passed; then it is half-open and the next sync is
one probe: success closes it, failure opens it again for another period.
"""

from __future__ import annotations

from datetime import datetime

from market.breaker import CLOSED, HALF_OPEN, OPEN, breaker_retry_at, breaker_threshold
from market.models import Provider

# Sync statuses that count as a failure of the provider (not "no_key" or "disabled").
FAILURES = frozenset({"failed", "rejected"})


def breaker_allows(provider: Provider, now: datetime) -> bool:
    """Whether a sync may ask ``provider`` now; an open breaker past its wait turns half-open."""
    if provider.breaker_state != OPEN:
        return True
    retry_at = breaker_retry_at(provider)
    if retry_at is not None and now < retry_at:
        return False
    provider.breaker_state = HALF_OPEN
    Provider.objects.filter(pk=provider.pk).update(breaker_state=HALF_OPEN)
    return True


def breaker_record(provider: Provider, status: str, now: datetime) -> None:
    """Count one sync's outcome: success closes, a failure counts (and may open)."""
    if status == "ok":
        state, failures, opened = CLOSED, 0, None
    elif status in FAILURES:
        failures = provider.breaker_failures + 1
        tripped = provider.breaker_state == HALF_OPEN or failures >= breaker_threshold()
        state = OPEN if tripped else provider.breaker_state
        opened = now if tripped else provider.breaker_opened_at
    else:
        return
    provider.breaker_state, provider.breaker_failures = state, failures
    provider.breaker_opened_at = opened
    Provider.objects.filter(pk=provider.pk).update(
        breaker_state=state, breaker_failures=failures, breaker_opened_at=opened)


def breaker_open_reason(provider: Provider) -> str:
    retry_at = breaker_retry_at(provider)
    when = retry_at.isoformat(timespec="seconds") if retry_at else "the next sync"
    return (f"circuit breaker open after {provider.breaker_failures} failed syncs in a row; "
            f"not asked until {when} (last good offers kept, marked stale)")
