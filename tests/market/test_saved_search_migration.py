"""Saved searches moved from accounts to market: the migration carries every row over, with
its id (users' URLs keep working), and new searches get ids after the copied ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("accounts", "0001_initial"), ("market", "0001_initial")]
AFTER = [("accounts", "0002_delete_savedsearch"), ("market", "0002_savedsearch")]


def _migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_state() -> Iterator[object]:
    apps = _migrate(BEFORE)
    yield apps
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to the latest


def test_rows_keep_their_ids_and_owners(old_state) -> None:
    user_model = old_state.get_model("accounts", "User")
    old = old_state.get_model("accounts", "SavedSearch")
    ada = user_model.objects.create(email="ada@example.com", password="x")
    bob = user_model.objects.create(email="bob@example.com", password="x")
    old.objects.create(id=41, user=ada, name="cheap H100", q="gpu=H100 price<3",
                       filters={"spot": False})
    old.objects.create(id=57, user=bob, name="cheap H100", q="gpu=H100", filters={})

    new_state = _migrate(AFTER)
    moved = new_state.get_model("market", "SavedSearch")
    rows = {s.id: (s.user_id, s.name, s.q, s.filters) for s in moved.objects.all()}
    assert rows == {41: (ada.id, "cheap H100", "gpu=H100 price<3", {"spot": False}),
                    57: (bob.id, "cheap H100", "gpu=H100", {})}
    added = moved.objects.create(user_id=ada.id, name="another", q="", filters={})
    assert added.id > 57
    tables = connection.introspection.table_names()
    assert "market_savedsearch" in tables and "accounts_savedsearch" not in tables
