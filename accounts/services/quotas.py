"""Plan limits, enforced where a user creates something or spends a rate.

A model that holds a counted resource says so with a class attribute
(``PLAN_RESOURCE = "alerts"``) beside its ``user`` foreign key; accounts finds it by walking
the installed models, so it never imports the areas that use it. Those areas guard their
create endpoint with ``JWTAuth(quota="alerts")`` (or call ``quota_check``): over the limit
answers 403 ``plan_limit`` naming the plan and the limit.
Rates (``api_requests_per_min``, ``live_queries_per_day``) go through ``quota_rate_hit`` and
answer 429 naming the plan and the limit.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache

from accounts.models import User
from accounts.plans import Plan, plan_get
from accounts.services.ratelimit import Rate, ratelimit_count, ratelimit_hit_rate
from common.errors import Forbidden, RateLimited

RATES = {"api_requests_per_min": 60, "live_queries_per_day": 86400}
_PLAN_CACHE_S = 60


def _counted(resource: str, user: AbstractBaseUser) -> int | None:
    """How many rows of the model declaring ``PLAN_RESOURCE = resource`` ``user`` holds."""
    for model in apps.get_models():
        if getattr(model, "PLAN_RESOURCE", None) == resource:
            return int(model._default_manager.filter(user=user).count())
    return None  # that area is not installed


def plan_of(user: AbstractBaseUser) -> Plan:
    return plan_get(getattr(user, "plan", ""))


def quota_check(*, user: AbstractBaseUser, resource: str) -> None:
    """Refuse (403 ``plan_limit``) when ``user`` already holds as many as the plan allows."""
    plan = plan_of(user)
    limit = plan.limits()[resource]
    if limit is not None and (_counted(resource, user) or 0) >= limit:
        raise Forbidden(f"The {plan.name} plan allows {limit} {resource.replace('_', ' ')}; "
                        "delete one or ask an operator for a larger plan", code="plan_limit",
                        plan=plan.name, limit=limit, resource=resource)


def _plan_key_cached(user_id: int) -> str:
    key = f"plan:{user_id}"
    value = cache.get(key)
    if value is None:
        value = User.objects.filter(pk=user_id).values_list("plan", flat=True).first() or ""
        cache.set(key, value, timeout=_PLAN_CACHE_S)
    return str(value)


def plan_cache_forget(user_id: int) -> None:
    cache.delete(f"plan:{user_id}")


def quota_rate_hit(*, user_id: int, resource: str) -> None:
    """Spend one unit of a rate limit of the user's plan; 429 naming plan and limit."""
    plan = plan_get(_plan_key_cached(user_id))
    limit = plan.limits()[resource]
    if limit is None:
        return
    rate = Rate(count=limit, window_s=RATES[resource])
    try:
        ratelimit_hit_rate(scope=resource, ident=str(user_id), rate=rate)
    except RateLimited as exc:
        raise RateLimited(f"The {plan.name} plan allows {limit} "
                          f"{resource.replace('_', ' ')}; try again later",
                          retry_after_s=exc.retry_after_s, plan=plan.name, limit=limit,
                          resource=resource) from exc


def quota_usage(*, user: AbstractBaseUser) -> dict[str, dict[str, int | None]]:
    """Per limit: what the plan allows and what the user uses now (for ``me``)."""
    plan = plan_of(user)
    usage: dict[str, dict[str, int | None]] = {}
    for resource, limit in plan.limits().items():
        if resource in RATES:
            used: int | None = ratelimit_count(scope=resource, ident=str(user.pk),
                                               window_s=RATES[resource])
        else:
            used = _counted(resource, user)
        usage[resource] = {"limit": limit, "used": used}
    return usage
