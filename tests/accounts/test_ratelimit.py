import pytest

from accounts.services.ratelimit import Rate, rate_parse, ratelimit_hit, ratelimit_reset
from common.errors import RateLimited


@pytest.mark.parametrize(("text", "rate"), [("10/900", Rate(10, 900)), ("1/1", Rate(1, 1))])
def test_rate_parse(text: str, rate: Rate) -> None:
    assert rate_parse(text) == rate


@pytest.mark.parametrize("text", ["0/60", "5/0", "-1/60"])
def test_rate_must_be_positive(text: str) -> None:
    with pytest.raises(ValueError):
        rate_parse(text)


def test_limit_counts_within_a_window_and_says_when_to_retry(settings) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS, "login_ip": "3/100"}
    for _ in range(3):
        ratelimit_hit(scope="login_ip", ident="10.0.0.1", now=1030.0)
    with pytest.raises(RateLimited) as caught:
        ratelimit_hit(scope="login_ip", ident="10.0.0.1", now=1030.0)
    assert caught.value.retry_after_s == 70  # window 1000..1100
    ratelimit_hit(scope="login_ip", ident="10.0.0.2", now=1030.0)  # another client
    ratelimit_hit(scope="login_ip", ident="10.0.0.1", now=1100.0)  # the next window


def test_reset_forgets_the_current_window(settings) -> None:
    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS, "login_account": "1/60"}
    ratelimit_hit(scope="login_account", ident="a@example.com", now=10.0)
    ratelimit_reset(scope="login_account", ident="a@example.com", now=20.0)
    ratelimit_hit(scope="login_account", ident="a@example.com", now=30.0)


def test_counts_are_shared_by_separate_cache_clients(settings) -> None:
    """Two workers each have their own cache client; with Redis they share the counter."""
    from django.core.cache import caches

    from accounts.services import ratelimit

    settings.GPUBROKER_RATE_LIMITS = {**settings.GPUBROKER_RATE_LIMITS, "login_ip": "2/100"}
    ratelimit_hit(scope="login_ip", ident="10.9.9.9", now=1000.0)
    other_worker = caches.create_connection("default")
    original, ratelimit.cache = ratelimit.cache, other_worker
    try:
        ratelimit_hit(scope="login_ip", ident="10.9.9.9", now=1000.0)
        with pytest.raises(RateLimited):
            ratelimit_hit(scope="login_ip", ident="10.9.9.9", now=1000.0)
    finally:
        ratelimit.cache = original
