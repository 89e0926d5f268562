"""The store every command needs, ready: migrated and reachable. On first use an embedded
SQLite store is migrated on the spot; otherwise one clear line says what to run, never a
traceback."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

# Commands that manage migrations or need no store themselves.
NO_STORE_NEEDED = frozenset({"migrate", "makemigrations", "showmigrations", "sqlmigrate",
                             "squashmigrations", "check", "help", "version", "dbshell",
                             "collectstatic", "diffsettings", "bench-gpu"})


class StoreNotReady(Exception):
    """The store cannot serve a command; the message says what to run."""


def store_ready() -> None:
    """Migrate an embedded (SQLite, no ``DATABASE_URL``) store on first use; raise
    StoreNotReady when the database is unreachable or an external one is not migrated."""
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        raise StoreNotReady(f"cannot open the database ({exc}); check DATABASE_URL or "
                            "GPUBROKER_DATA_DIR") from None
    if not plan:
        return
    if connection.vendor == "sqlite" and not os.environ.get("DATABASE_URL"):
        print(f"preparing the offer store in {settings.DATA_DIR} (first use) …",
              file=sys.stderr, flush=True)
        call_command("migrate", verbosity=0)
        return
    raise StoreNotReady(f"the database has {len(plan)} unapplied migrations: run "
                        "`gpubroker migrate` first")
