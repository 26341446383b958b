"""Every index a write pays for earns its keep: none is a leading part of another index on the same table.

PostgreSQL answers a lookup on the leading columns of a composite index as well as on an index of those
columns alone, so the shorter one only costs: every insert, and every update that is not HOT, writes both.
The check runs over every table of the project's own models (a new model is covered without editing this).
Django's automatic many-to-many tables are left alone (Django makes both indexes there).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

REDUNDANT = """
WITH ix AS (
    SELECT i.indexrelid, i.indrelid, c.relname AS name, t.relname AS tbl, i.indisunique AS is_unique,
           i.indpred IS NOT NULL AS partial, i.indexprs IS NOT NULL AS expr, i.indnkeyatts AS nkey,
           i.indkey::int2[] AS cols, i.indclass::oid[] AS classes, i.indcollation::oid[] AS colls, am.amname
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_am am ON am.oid = c.relam
    WHERE t.relname = ANY(%(tables)s)
)
SELECT a.tbl, a.name, b.name
FROM ix a JOIN ix b ON a.indrelid = b.indrelid AND a.indexrelid <> b.indexrelid
WHERE NOT a.is_unique AND NOT a.partial AND NOT a.expr AND a.amname = 'btree' AND a.nkey = cardinality(a.cols)
  AND b.amname = 'btree' AND NOT b.partial AND NOT b.expr AND a.nkey <= b.nkey
  AND a.cols[0:a.nkey - 1] = b.cols[0:a.nkey - 1]
  AND a.classes[0:a.nkey - 1] = b.classes[0:a.nkey - 1] AND a.colls[0:a.nkey - 1] = b.colls[0:a.nkey - 1]
  AND (a.nkey < b.nkey OR a.indexrelid > b.indexrelid)
ORDER BY 1, 2
"""


def project_tables() -> list[str]:
    root = Path(settings.BASE_DIR).resolve()
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=False)
        if Path(apps.get_app_config(model._meta.app_label).path).resolve().is_relative_to(root)
        and "site-packages" not in Path(apps.get_app_config(model._meta.app_label).path).parts
        and not model._meta.proxy
    )


@pytest.mark.django_db
def test_no_index_on_the_projects_tables_is_the_leading_part_of_another():
    tables = project_tables()
    assert "routing_deadline" in tables and "feedback_caseevent" in tables  # the check sees the project's tables
    with connection.cursor() as cursor:
        cursor.execute(REDUNDANT, {"tables": tables})
        redundant = [f"{table}: {name} (covered by {wider})" for table, name, wider in cursor.fetchall()]
    assert redundant == []


@pytest.mark.django_db
def test_the_hand_made_escalation_index_survives_the_lean_index_migrations():
    # Django's db_index removal would have dropped it with the field's own index on the same column.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'oversight_event_escalations'")
        assert cursor.fetchone()
