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
        ("feedback", "0014_lean_indexes"),
        ("routing", "0011_partition_routingdecision"),
    ]

    operations = [
        exactly_dropped(
            [
                migrations.AlterField(
                    model_name="routingdecision",
                    name="submission",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="routing_decisions",
                        to="feedback.submission",
                        verbose_name="submission",
                    ),
                ),
            ],
            index("routing_routingdecision_submission_id_2690b016", "routing_routingdecision", "submission_id"),
        ),
    ]
