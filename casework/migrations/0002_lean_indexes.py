"""Indexes and checks the write paths paid for and no query needs (issue 17).

A key's own index goes where a composite index already starts with it; an optional key is indexed only where
set; an escalation's case and department are its deadline's (no second foreign-key check per row).
``portal.migration_ops.exactly_dropped``: the database side drops these by name, nothing else.
"""

import django.db.models.deletion
from django.db import migrations, models

from portal.migration_ops import exactly_dropped, index


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("city", "0001_initial"),
    ]

    operations = [
        exactly_dropped(
            [
                migrations.AlterField(
                    model_name="assignment",
                    name="department",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assignments",
                        to="city.department",
                    ),
                ),
            ],
            index("routing_assignment_department_id_0b19558e", "routing_assignment", "department_id"),
        ),
    ]
