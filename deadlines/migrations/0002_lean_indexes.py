"""Indexes and checks the write paths paid for and no query needs (issue 17).

A key's own index goes where a composite index already starts with it; an optional key is indexed only where
set; an escalation's case and department are its deadline's (no second foreign-key check per row).
``portal.migration_ops.exactly_dropped``: the database side drops these by name, nothing else.
"""

import django.db.models.deletion
from django.db import migrations, models

from portal.migration_ops import exactly_dropped, foreign_key, index


class Migration(migrations.Migration):
    dependencies = [
        ("city", "0001_initial"),
        ("deadlines", "0001_initial"),
        ("feedback", "0013_notification_once_final"),
    ]

    operations = [
        exactly_dropped(
            [
                migrations.AlterField(
                    model_name="deadline",
                    name="extended_from",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="deadlines.deadline",
                        verbose_name="extends",
                    ),
                ),
                migrations.AlterField(
                    model_name="deadline",
                    name="submission",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deadlines",
                        to="feedback.submission",
                    ),
                ),
                migrations.AlterField(
                    model_name="deadlinepolicy",
                    name="category",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="Empty: the default for every category.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deadline_policies",
                        to="city.category",
                        verbose_name="category",
                    ),
                ),
                migrations.AlterField(
                    model_name="escalation",
                    name="department",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="city.department",
                    ),
                ),
                migrations.AlterField(
                    model_name="escalation",
                    name="submission",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="escalations",
                        to="feedback.submission",
                    ),
                ),
            ],
            index("routing_deadline_extended_from_id_83343bf5", "routing_deadline", "extended_from_id"),
            index("routing_deadline_submission_id_36126d20", "routing_deadline", "submission_id"),
            index("routing_deadlinepolicy_category_id_497d870f", "routing_deadlinepolicy", "category_id"),
            index("routing_escalation_submission_id_59ee11ce", "routing_escalation", "submission_id"),
            foreign_key(
                "routing_escalation_department_id_88b0c703_fk_routing_d",
                "routing_escalation",
                "department_id",
                "routing_department",
            ),
            foreign_key(
                "routing_escalation_submission_id_59ee11ce_fk_feedback_",
                "routing_escalation",
                "submission_id",
                "feedback_submission",
            ),
        ),
        migrations.AddIndex(
            model_name="deadline",
            index=models.Index(
                condition=models.Q(("extended_from__isnull", False)),
                fields=["extended_from"],
                name="deadline_extended_from",
            ),
        ),
    ]
