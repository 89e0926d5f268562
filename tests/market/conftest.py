"""Signed-in users for the market's per-user endpoints (saved searches, live offers)."""

from tests.accounts.conftest import _clean_cache, api, other_api, other_user, user  # noqa: F401
