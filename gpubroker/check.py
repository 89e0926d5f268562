"""`gpubroker check`: is this installation ready to serve?

Reports which engine backs each concern (database, cache, channel layer, price-history
analytics, scheduler) and whether it answers, pending migrations, the key material
(present, strong, private), and Django's own system checks (``--deploy`` ones when
``DJANGO_DEBUG`` is off). Exits 1 when anything is a problem, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str


def _probe(name: str, what: str, probe: Callable[[], str]) -> Finding:
    try:
        return Finding(name, True, f"{what}: {probe()}")
    except Exception as exc:  # any failure to answer is the finding itself
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return Finding(name, False, f"{what}: unreachable ({type(exc).__name__}: {first_line})")


def _database() -> Finding:
    from django.db import connection

    def probe() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "reachable"

    where = connection.settings_dict.get("HOST") or connection.settings_dict.get("NAME")
    return _probe("database", f"{connection.vendor} ({where})", probe)


def _cache() -> Finding:
    from django.core.cache import cache

    def probe() -> str:
        cache.set("gpubroker:check", "1", timeout=10)
        if cache.get("gpubroker:check") != "1":
            raise RuntimeError("a value written could not be read back")
        return "reachable"

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return _probe("cache", backend, probe)


def _redis_ping(url: str) -> str:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    return "reachable"


def _channel_layer() -> Finding:
    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
    hosts = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("hosts")
    if not hosts:
        return Finding("channel layer", True, f"{backend}: in-process (one server process)")
    host = hosts[0]["address"] if isinstance(hosts[0], dict) else hosts[0]  # URL or options
    return _probe("channel layer", backend, lambda: _redis_ping(str(host)))


def _analytics() -> Finding:
    url = os.environ.get("CLICKHOUSE_URL", "")
    if not url:
        return Finding("price history", True, "primary database")
    base = url.split("://", 1)[-1].split("/", 1)[0]
    scheme = url.split("://", 1)[0] if "://" in url else "http"
    ping = f"{'https' if scheme == 'https' else 'http'}://{base.rsplit('@', 1)[-1]}/ping"

    def probe() -> str:
        with urllib.request.urlopen(ping, timeout=3) as answer:  # noqa: S310 (operator's URL)
            return "reachable" if answer.status == 200 else f"HTTP {answer.status}"

    return _probe("price history", "ClickHouse", probe)


def _scheduler() -> Finding:
    mode = os.environ.get("GPUBROKER_SCHEDULER", "embedded")
    if mode != "celery":
        return Finding("scheduler", True, "embedded (inside serve)")
    broker = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL", "")
    if not broker:
        return Finding("scheduler", False, "celery: needs REDIS_URL (the broker)")
    return _probe("scheduler", "celery", lambda: _redis_ping(broker))


def _migrations() -> Finding:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return Finding("migrations", True, "none pending")
    names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:3])
    return Finding("migrations", False,
                   f"{len(plan)} pending ({names}, …): run `gpubroker migrate`")


def _private(path: Path) -> bool:
    return not stat.S_IMODE(path.stat().st_mode) & 0o077


def _keys() -> list[Finding]:
    from accounts.services.keys import MIN_KEY_BITS, signing_key

    findings = []
    try:
        bits = signing_key().private_key.key_size
        findings.append(Finding("JWT signing key", bits >= MIN_KEY_BITS, f"RSA {bits} bits"))
    except (ImproperlyConfigured, ValueError) as exc:
        findings.append(Finding("JWT signing key", False, str(exc)))
    key = settings.SECRET_KEY
    strong = len(key) >= 50 and len(set(key)) >= 5 and not key.startswith("django-insecure")
    findings.append(Finding("secret key", strong,
                            "strong" if strong else "weak: 50+ random characters needed"))
    loose = [p.name for p in Path(settings.DATA_DIR).iterdir()
             if p.is_file() and not _private(p)]
    findings.append(Finding("data directory", not loose,
                            f"{settings.DATA_DIR}: files private" if not loose
                            else f"readable by others: {', '.join(sorted(loose))} (chmod 600)"))
    return findings


def _django_checks() -> Finding:
    from django.core import checks

    production = settings.GPUBROKER_PRODUCTION
    messages = checks.run_checks(include_deployment_checks=production)
    serious = [m for m in messages if m.level >= checks.WARNING and not m.is_silenced()]
    mode = ("production (DJANGO_DEBUG=0)" if production
            else "development (DJANGO_DEBUG=1)" if settings.DEBUG else "embedded")
    if not serious:
        return Finding("system checks", True, f"{mode}: no issues")
    listed = "; ".join(f"{m.id}: {m.msg}" for m in serious[:6])
    return Finding("system checks", False, f"{mode}: {len(serious)} issue(s): {listed}")


def findings_all() -> list[Finding]:
    found = [_database(), _cache(), _channel_layer(), _analytics(), _scheduler()]
    if found[0].ok:
        found.append(_migrations())
    return [*found, *_keys(), _django_checks()]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="gpubroker check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    args = parser.parse_args(argv)
    found = findings_all()
    if args.json:
        print(json.dumps([asdict(f) for f in found], indent=2))
    else:
        width = max(len(f.name) for f in found)
        for f in found:
            print(f"{'ok  ' if f.ok else 'FAIL'}  {f.name:<{width}}  {f.detail}")
        bad = sum(not f.ok for f in found)
        print(f"\n{len(found) - bad}/{len(found)} checks passed" + (
            "" if not bad else f"; {bad} problem(s) above"))
    return 0 if all(f.ok for f in found) else 1
