"""`gpubroker kpi_retention [--raw-days N]`: roll old raw observations into daily rows."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from common.errors import BrokerError
from kpi.history import observations_retain


class Command(BaseCommand):
    help = ("Keep raw price observations for N days (GPUBROKER_KPI_RAW_DAYS, default 90); "
            "older ones become one row per day, GPU, provider and spot (min / median / max), "
            "on the primary database and on ClickHouse when CLICKHOUSE_URL is set.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--raw-days", type=int, default=None,
                            help="days of raw observations to keep")

    def handle(self, *args: object, **options: object) -> None:
        raw_days = options["raw_days"] or settings.GPUBROKER_KPI_RAW_DAYS
        try:
            done = observations_retain(raw_days=int(raw_days), now=timezone.now())
        except BrokerError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(f"raw observations before {done['cutoff'].isoformat()}: "
                          f"{done['deleted']} rolled into {done['days_rolled']} daily rows")
        if "clickhouse_days_rolled" in done:
            self.stdout.write(f"clickhouse: {done['clickhouse_days_rolled']} daily rows")
