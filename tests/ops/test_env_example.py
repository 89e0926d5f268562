"""`.env.example` lists every environment variable the code reads (and the compose file
interpolates), so an operator can see them all in one place."""

from __future__ import annotations

import re

from market.adapters.base import url_env
from market.adapters.registry import PROVIDERS
from tests.conftest import REPO_ROOT

_READ = re.compile(
    r"""(?:os\.environ(?:\.get|\.setdefault|\.pop)?|os\.getenv|env_value|_names)\(\s*"""
    r"""["']([A-Z][A-Z0-9_]+)["']|os\.environ\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\]""")
_KEY_ENV = re.compile(r"""KEY_ENV(?:: ClassVar\[str\])?\s*=\s*["']([A-Z][A-Z0-9_]+)["']""")
_COMPOSE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")
_SKIP_DIRS = {".venv", "tests", "node_modules", "build", ".git"}
# Set by tools, never by an operator: pytest-xdist names its worker (settings keep each
# worker's cache keys apart with it).
_NOT_OPERATOR = {"PYTEST_XDIST_WORKER"}


def _variables_read() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in REPO_ROOT.rglob("*.py"):
        if _SKIP_DIRS & set(path.relative_to(REPO_ROOT).parts):
            continue
        text = path.read_text(encoding="utf-8")
        for match in _READ.finditer(text):
            found.setdefault(match.group(1) or match.group(2), str(path.relative_to(REPO_ROOT)))
        for name in _KEY_ENV.findall(text):
            found.setdefault(name, str(path.relative_to(REPO_ROOT)))
    compose = REPO_ROOT / "deploy" / "docker-compose.yml"
    for name in _COMPOSE.findall(compose.read_text()):
        found.setdefault(name, "deploy/docker-compose.yml")
    for provider in PROVIDERS:
        found.setdefault(url_env(provider), "market/adapters/base.py (url_env)")
    return found


def _variables_listed() -> set[str]:
    text = (REPO_ROOT / ".env.example").read_text()
    return set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", text, re.M))


def test_every_variable_read_is_listed() -> None:
    read = _variables_read()
    assert len(read) > 40  # the scan itself works: settings alone reads dozens
    missing = {name: where for name, where in read.items()
               if name not in _variables_listed() | _NOT_OPERATOR}
    assert not missing, f"add these to .env.example (with default and meaning): {missing}"


def test_compose_required_variables_are_set_lines() -> None:
    """What compose refuses to start without (``${NAME:?...}``) is an uncommented line."""
    compose = (REPO_ROOT / "deploy" / "docker-compose.yml").read_text()
    required = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*):\?", compose))
    assert required >= {"POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD"}
    text = (REPO_ROOT / ".env.example").read_text()
    assert required <= set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, re.M))
