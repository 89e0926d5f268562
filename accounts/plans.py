"""Free, Pro and Enterprise: what each plan allows. Plain data; no billing (GPU costs stay
with the providers). ``None`` means no limit. Operators assign plans with
``gpubroker plan EMAIL NAME``; ``GET /api/v2/auth/me`` shows the plan and current usage.

Counted resources (how many a user may hold): ``saved_searches``, ``alerts``,
``api_tokens``. Rates: ``api_requests_per_min`` (every ``/api/`` request with the user's
token) and ``live_queries_per_day`` (``GET /api/v2/providers/live``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

DEFAULT_PLAN = "free"


@dataclass(frozen=True)
class Plan:
    name: str
    saved_searches: int | None
    alerts: int | None
    api_tokens: int | None
    api_requests_per_min: int
    live_queries_per_day: int | None

    def __post_init__(self) -> None:
        limits = [v for k, v in asdict(self).items() if k != "name" and v is not None]
        if any(v < 0 for v in limits) or self.api_requests_per_min < 1:
            raise ValueError(f"plan {self.name}: limits must be positive")

    def limits(self) -> dict[str, int | None]:
        return {k: v for k, v in asdict(self).items() if k != "name"}


PLANS: dict[str, Plan] = {
    "free": Plan(name="Free", saved_searches=10, alerts=5, api_tokens=2,
                 api_requests_per_min=120, live_queries_per_day=50),
    "pro": Plan(name="Pro", saved_searches=200, alerts=100, api_tokens=20,
                api_requests_per_min=600, live_queries_per_day=2000),
    "enterprise": Plan(name="Enterprise", saved_searches=None, alerts=None, api_tokens=100,
                       api_requests_per_min=3000, live_queries_per_day=None),
}

COUNTED = ("saved_searches", "alerts", "api_tokens")


def plan_get(key: str) -> Plan:
    """The plan stored as ``key``; an unknown key (a removed plan) reads as the default."""
    return PLANS.get(key, PLANS[DEFAULT_PLAN])
