"""What the account page lists: the live provider APIs a user can save a key for."""

from __future__ import annotations

from market.models import Provider


def account_providers() -> list[str]:
    return list(Provider.objects.filter(kind="api").order_by("name").values_list("name",
                                                                                 flat=True))
