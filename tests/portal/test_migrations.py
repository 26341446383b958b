"""Migrations an existing database can always be upgraded through."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

OURS = {"accounts", "city", "feedback", "deadlines", "casework", "routing", "surges", "oversight", "open311",
        "consultations"}  # fmt: skip


def test_no_migration_depends_on_another_apps_latest_migration():
    """``("app", "__latest__")`` moves when that app gains a migration, and every database that already
    applied the dependent migration then fails ``migrate`` with InconsistentMigrationHistory."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    floating = [
        f"{key[0]}.{key[1]} -> {app}.{name}"
        for key, migration in loader.disk_migrations.items()
        if key[0] in OURS
        for app, name in migration.dependencies
        if name == "__latest__"
    ]
    assert floating == []


@pytest.mark.django_db
def test_the_applied_history_is_consistent():
    loader = MigrationLoader(connection)
    loader.check_consistent_history(connection)
