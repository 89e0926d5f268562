"""`gpubroker backfill --at TIMESTAMP CATALOG_DIR`: load a past catalog version into history."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from common.errors import BrokerError
from kpi.history import observations_backfill


class Command(BaseCommand):
    help = ("Record every offer of a past catalog version as observed at --at (price history "
            "only; the offers listed now are untouched). CATALOG_DIR holds <cloud>/vms.csv, "
            "or is one CSV file whose folder names its cloud. Loading the same version at the "
            "same time again adds nothing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", required=True, metavar="TIMESTAMP",
                            help="ISO 8601 time with zone, e.g. 2026-11-20T00:00:00Z")
        parser.add_argument("catalog", metavar="CATALOG_DIR", type=Path)

    def handle(self, *args: object, **options: object) -> None:
        try:
            at = datetime.fromisoformat(str(options["at"]).replace("Z", "+00:00"))
        except ValueError as exc:
            raise CommandError(f"--at: not an ISO 8601 time: {options['at']!r}") from exc
        catalog = Path(str(options["catalog"]))
        if not catalog.exists():
            raise CommandError(f"{catalog} does not exist")
        try:
            loaded = observations_backfill(at=at, catalog=catalog)
        except BrokerError as exc:
            raise CommandError(exc.detail) from exc
        for provider, count in loaded.items():
            note = "" if count else " (already loaded)"
            self.stdout.write(f"{provider}: {count} observations at {at.isoformat()}{note}")
