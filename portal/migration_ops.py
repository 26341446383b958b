"""Migration operations that name exactly what they drop.

Turning ``db_index`` off on a field makes Django drop *every* plain one-column
index it finds on the column, including ones other migrations made by hand
(``oversight_event_escalations`` is a partial index on the case events'
``submission_id``). ``exactly_dropped`` keeps Django's state change and does
the database side by name, with a reverse that puts back what it took.
"""

from __future__ import annotations

from django.db import migrations
from django.db.migrations.operations.base import Operation


def index(name: str, table: str, column: str, opclass: str = "") -> tuple[str, str]:
    """A plain one-column btree index: (drop, re-create)."""
    return f"DROP INDEX IF EXISTS {name}", f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column} {opclass})".strip()


def foreign_key(name: str, table: str, column: str, target: str) -> tuple[str, str]:
    """Django's deferred foreign-key constraint: (drop, re-create)."""
    return (
        f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}",
        f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({column}) REFERENCES {target} (id)"
        " DEFERRABLE INITIALLY DEFERRED",
    )


def exactly_dropped(state_operations: list[Operation], *drops: tuple[str, str]) -> Operation:
    return migrations.SeparateDatabaseAndState(
        state_operations=state_operations,
        database_operations=[
            migrations.RunSQL([drop for drop, _create in drops], reverse_sql=[create for _drop, create in drops])
        ],
    )
