"""``gpubroker purge_expired_tokens``: delete refresh-token families that cannot refresh.

Run it daily (cron, or the scheduler of ``serve``); it is safe to run at any time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.services.refresh import token_families_purge


class Command(BaseCommand):
    help = "Delete expired and long-revoked refresh-token families."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"deleted {token_families_purge()} rows")
