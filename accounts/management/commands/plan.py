"""``gpubroker plan EMAIL [PLAN]``: show or assign a user's plan (operators)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.plans import PLANS
from accounts.services.quotas import plan_cache_forget, plan_of, quota_usage


class Command(BaseCommand):
    help = "Show a user's plan and usage, or assign a plan: " + ", ".join(PLANS)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("plan", nargs="?", choices=sorted(PLANS))

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(f"no user {options['email']}")
        if options["plan"]:
            user.plan = options["plan"]
            user.save(update_fields=["plan"])
            plan_cache_forget(user.pk)
        self.stdout.write(f"{user.email}: {plan_of(user).name}")
        for resource, usage in quota_usage(user=user).items():
            limit = "unlimited" if usage["limit"] is None else usage["limit"]
            self.stdout.write(f"  {resource}: {usage['used']} of {limit}")
