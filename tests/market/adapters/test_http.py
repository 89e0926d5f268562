"""The live adapters' HTTP: retries, Retry-After, backoff, size cap, through a real local server."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime
from email.utils import format_datetime

import httpx
import pytest

from market.adapters.base import PayloadRejected, ProviderError
from market.adapters.http import http_policy, request_json, retry_after_s
from market.adapters.lambda_api import LambdaApi
from tests.market.adapters.samples import fetched, sample
from tests.support.payloads import InTurn, Reply, serve_payloads

SAMPLE = sample("lambda/instance-types_terraform-provider-lambdalabs_fixture.json")
ROUTE = "GET /api/v1/instance-types"


def _adapter(url: str) -> LambdaApi:
    return LambdaApi(api_key="lambda_key", base_url=url + "/api/v1")


def test_retry_after_seconds_are_waited_before_the_retry(settings) -> None:
    settings.GPUBROKER_HTTP_RETRY_AFTER_MAX_S = 5
    busy = Reply({"error": "slow down"}, 429, headers=(("Retry-After", "1"),))
    with serve_payloads({ROUTE: InTurn(busy, SAMPLE)}) as server:
        clock = time.monotonic()
        result = fetched(_adapter(server.url))
        waited = time.monotonic() - clock
    assert len(result.offers) == 1 and server.answered[ROUTE] == 2
    assert waited >= 1.0


def test_retry_after_is_capped_by_the_setting(settings) -> None:
    settings.GPUBROKER_HTTP_RETRY_AFTER_MAX_S = 0.01
    busy = Reply({"error": "slow down"}, 503, headers=(("Retry-After", "3600"),))
    with serve_payloads({ROUTE: InTurn(busy, SAMPLE)}) as server:
        clock = time.monotonic()
        result = fetched(_adapter(server.url))
    assert len(result.offers) == 1 and time.monotonic() - clock < 5


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2026, 12, 1, 12, 0, 0, tzinfo=UTC)
    later = format_datetime(datetime(2026, 12, 1, 12, 0, 30, tzinfo=UTC), usegmt=True)
    assert retry_after_s("7") == 7.0
    assert retry_after_s(later, now=now.timestamp()) == 30.0
    assert retry_after_s(format_datetime(now, usegmt=True), now=now.timestamp() + 5) == 0.0
    assert retry_after_s("soon") is None and retry_after_s(None) is None


def test_5xx_is_retried_up_to_the_attempts_then_fails(settings) -> None:
    settings.GPUBROKER_HTTP_ATTEMPTS = 4
    with serve_payloads({ROUTE: Reply({"error": "bad gateway"}, 502)}) as server, \
            pytest.raises(ProviderError, match="HTTP 502"):
        fetched(_adapter(server.url))
    assert server.answered[ROUTE] == 4


def test_other_4xx_is_not_retried() -> None:
    with serve_payloads({ROUTE: Reply({"error": {"code": "bad key"}}, 401)}) as server, \
            pytest.raises(ProviderError, match="HTTP 401"):
        fetched(_adapter(server.url))
    assert server.answered[ROUTE] == 1


def test_connection_refused_is_retried_then_says_so(settings) -> None:
    settings.GPUBROKER_HTTP_ATTEMPTS = 2
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ProviderError, match="cannot connect"):
        fetched(_adapter(f"http://127.0.0.1:{port}"))


def test_a_slow_answer_times_out_after_every_attempt(settings) -> None:
    settings.GPUBROKER_HTTP_TIMEOUT_S = 0.1
    settings.GPUBROKER_HTTP_ATTEMPTS = 2
    with serve_payloads({ROUTE: Reply(SAMPLE, delay_s=0.5)}) as server, \
            pytest.raises(ProviderError, match="timed out after 0.1 s"):
        fetched(_adapter(server.url))
    assert server.answered[ROUTE] == 2


def test_an_answer_over_the_size_cap_is_rejected_whole(settings) -> None:
    settings.GPUBROKER_HTTP_MAX_BYTES = 100
    with serve_payloads({ROUTE: SAMPLE}) as server, \
            pytest.raises(PayloadRejected, match="100-byte cap"):
        fetched(_adapter(server.url))


def test_truncated_json_is_rejected_whole() -> None:
    with serve_payloads({ROUTE: '{"data": {"gpu_1x_a100": {"instance_type": {'}) as server, \
            httpx.Client() as client, pytest.raises(PayloadRejected, match="not JSON"):
        request_json(client, "GET", server.url + "/api/v1/instance-types", name="lambda-api",
                     policy=http_policy(10))
