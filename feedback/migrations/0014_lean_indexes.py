"""Indexes and checks the write paths paid for and no query needs (issue 17).

A key's own index goes where a composite index already starts with it; an optional key is indexed only where
set; an escalation's case and department are its deadline's (no second foreign-key check per row).
``portal.migration_ops.exactly_dropped``: the database side drops these by name, nothing else.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from portal.migration_ops import exactly_dropped, index


class Migration(migrations.Migration):
    dependencies = [
        ("city", "0001_initial"),
        ("feedback", "0013_notification_once_final"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        exactly_dropped(
            [
                migrations.AlterField(
                    model_name="accesscode",
                    name="contact_hash",
                    field=models.CharField(max_length=64),
                ),
                migrations.AlterField(
                    model_name="caseevent",
                    name="actor",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="caseevent",
                    name="submission",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="feedback.submission",
                    ),
                ),
                migrations.AlterField(
                    model_name="notification",
                    name="event",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="feedback.caseevent",
                    ),
                ),
                migrations.AlterField(
                    model_name="submission",
                    name="lead_department",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="led_cases",
                        to="city.department",
                        verbose_name="lead department",
                    ),
                ),
            ],
            index("feedback_accesscode_contact_hash_25aaf257", "feedback_accesscode", "contact_hash"),
            index(
                "feedback_accesscode_contact_hash_25aaf257_like",
                "feedback_accesscode",
                "contact_hash",
                "varchar_pattern_ops",
            ),
            index("feedback_caseevent_actor_id_7efdc604", "feedback_caseevent", "actor_id"),
            index("feedback_caseevent_submission_id_e3d57603", "feedback_caseevent", "submission_id"),
            index("feedback_notification_event_id_ce7c7947", "feedback_notification", "event_id"),
            index("feedback_submission_lead_department_id_5a850cd4", "feedback_submission", "lead_department_id"),
        ),
        migrations.AddIndex(
            model_name="caseevent",
            index=models.Index(condition=models.Q(("actor__isnull", False)), fields=["actor"], name="event_actor"),
        ),
    ]
