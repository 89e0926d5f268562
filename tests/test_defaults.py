"""Production-safe defaults: debug only when asked, JSON errors, CSP, a guarded /metrics,
a private data directory.

Regressions for the probe: debug was the default (tracebacks with the caller's Bearer
token, 404s listing the URL patterns), ``/metrics`` was public, no Content-Security-Policy,
the SQLite file was world-readable (0644).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.conftest import REPO_ROOT

SECRET = "Bearer eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2ln"


def _env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
           and not k.startswith(("JWT_", "VAULT_", "GPUBROKER_VAULT"))}
    return {**env, "GPUBROKER_DATA_DIR": str(tmp_path / "data"), **overrides}


def _python(env: dict[str, str], code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


SETUP = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; " \
        "django.setup(); from django.conf import settings; "


@pytest.mark.parametrize(("value", "debug"), [(None, "False"), ("1", "True"), ("0", "False"),
                                              ("", "False"), ("yes please", "False")])
def test_debug_is_on_only_when_asked_for(tmp_path: Path, value: str | None,
                                         debug: str) -> None:
    env = _env(tmp_path)
    if value is not None:
        env["DJANGO_DEBUG"] = value
    if value == "0":  # production: every secret from the environment
        pytest.skip("covered by tests/accounts/test_production.py")
    assert _python(env, SETUP + "print(settings.DEBUG)") == debug


def test_the_default_mode_starts_with_generated_private_secrets(tmp_path: Path) -> None:
    env = _env(tmp_path)
    _python(env, SETUP + "from django.core.management import call_command; "
                         "call_command('migrate', verbosity=0); "
                         "from accounts.services.keys import signing_key; signing_key(); "
                         "from accounts.services.vault import vault; vault()")
    data = tmp_path / "data"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    files = [p for p in data.iterdir() if p.is_file()]
    assert {"gpubroker.sqlite3", "secret_key", "jwt_private_key.pem", "vault_keys"} <= {
        p.name for p in files}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {
        p.name: 0o600 for p in files}


def test_an_existing_world_readable_data_directory_is_tightened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "gpubroker.sqlite3").touch(mode=0o644)
    _python(_env(tmp_path), SETUP + "print(settings.DATABASES['default']['NAME'])")
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "gpubroker.sqlite3").stat().st_mode) == 0o600


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/no/such/page", "/api/v2/no/such/endpoint", "/api/v3/"])
def test_404_is_json_and_lists_no_url_patterns(settings: Any, debug: bool, path: str) -> None:
    settings.DEBUG = debug
    response = Client().get(path)
    assert response.status_code == 404 and response["Content-Type"].startswith(
        "application/json")
    assert response.json()["code"] == "not_found" and "api/v2/" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
@override_settings(ROOT_URLCONF="tests.support.failing_urls")
def test_a_500_is_json_without_traceback_or_the_callers_token(settings: Any,
                                                               debug: bool) -> None:
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    response = client.get("/fails", HTTP_AUTHORIZATION=SECRET)
    assert response.status_code == 500 and response.json() == {
        "detail": "Server error", "code": "server_error"}
    assert "eyJ" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("address", "status"), [
    ("127.0.0.1", 200), ("10.1.2.3", 200), ("192.168.0.9", 200), ("::1", 200),
    ("8.8.8.8", 403), ("1.1.1.1", 403), ("2001:4860:4860::8888", 403)])
def test_metrics_without_a_token_only_for_private_addresses(address: str, status: int) -> None:
    assert Client().get("/metrics", REMOTE_ADDR=address).status_code == status


@pytest.mark.django_db
def test_metrics_with_a_token_need_it_as_bearer(settings: Any) -> None:
    settings.GPUBROKER_METRICS_TOKEN = "scrape-secret-123"
    assert Client().get("/metrics").status_code == 401
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    answer = Client().get("/metrics", REMOTE_ADDR="8.8.8.8",
                          HTTP_AUTHORIZATION="Bearer scrape-secret-123")
    assert answer.status_code == 200 and b"django_http_requests" in answer.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v2/docs", "/health", "/api/v2/providers/config",
                                  "/no/such/page"])
def test_every_response_carries_a_self_only_csp(path: str) -> None:
    csp = Client().get(path)["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-eval" not in csp


@pytest.mark.django_db
def test_the_api_docs_page_runs_no_inline_script() -> None:
    html = Client().get("/api/v2/docs").content.decode()
    assert "swagger-ui" in html
    tags = [s.split(">", 1)[0] for s in html.split("<script")[1:]]
    code = [t for t in tags if 'type="application/json"' not in t]  # data, not run
    assert code and all("src=" in t for t in code), tags
