"""`gpubroker`: serve, sync, offers; any other word is a Django management command."""

from __future__ import annotations

import os
import sys

COMMANDS = ("serve", "sync", "offers", "bench-gpu", "ask", "worker", "beat", "check", "login",
            "whoami", "logout")

USAGE = """usage: gpubroker COMMAND [options]

GPU offers from many clouds, normalized, ranked and priced for your workload.

commands:
  serve     migrate, sync if the store is empty, then serve the API on 127.0.0.1:8000
  sync      fetch offers from all sources (or --provider NAME), one line per provider
  offers    query offers (same filters as GET /api/v2/providers/), table or --json
  check     engines in use and reachable, pending migrations, keys, production settings
  bench-gpu measure this machine's GPU (matmul TFLOPS, memory bandwidth, decode/prefill tokens/s)
  ask       ask the assistant in plain language: gpubroker ask "cheapest H100 in Europe"
  worker    run syncs as Celery tasks (GPUBROKER_SCHEDULER=celery; needs REDIS_URL)
  beat      schedule those syncs every GPUBROKER_SYNC_INTERVAL_S (one beat per deployment)
  login     get a personal API token from a server and keep it for the CLI (mode 0600)
  whoami    who the saved token speaks for; logout forgets it
  plan      show or assign a user's plan (operators): gpubroker plan EMAIL [free|pro|enterprise]

Any other command is passed to Django's management (migrate, createsuperuser, shell, ...).
Run `gpubroker COMMAND --help` for a command's options.

environment:
  GPUBROKER_DATA_DIR      data directory (default: the user's data directory, e.g.
                          ~/.local/share/gpubroker): SQLite file, generated secrets
  GPUBROKER_CATALOG_DIR   read SkyPilot-format catalogs (<cloud>/vms.csv) from this folder
  GPUBROKER_CATALOG_URL   or from this HTTPS base URL (default: SkyPilot's public catalog)
  DATABASE_URL            PostgreSQL instead of SQLite
  REDIS_URL               Redis for cache, rate limits and the WebSocket channel layer
  GPUBROKER_SCHEDULER     embedded (default: serve re-syncs) or celery (worker + beat)
  GPUBROKER_LIVE_PROVIDERS  live provider APIs to sync (comma list or "all"; default none)
  DJANGO_DEBUG            unset: debug off, secrets generated into the data directory;
                          1: Django debug mode (development only);
                          0: production: needs DJANGO_SECRET_KEY, JWT_PRIVATE_KEY and
                          GPUBROKER_VAULT_KEYS (or VAULT_ADDR + VAULT_TOKEN)
"""


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    if argv[0] == "serve":  # before prometheus_client is imported (gpubroker/serve_workers.py)
        from gpubroker.serve_workers import metrics_dir_prepare, workers_from_argv

        metrics_dir_prepare(workers_from_argv(argv[1:]))
    import django

    django.setup()
    from gpubroker.store import NO_STORE_NEEDED, StoreNotReady, store_ready

    if argv[0] not in NO_STORE_NEEDED:
        try:
            store_ready()
        except StoreNotReady as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if argv[0] in COMMANDS:
        from gpubroker import commands

        return commands.run(argv[0], argv[1:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gpubroker", *argv])
    return 0
