"""Case events and notifications become tables partitioned by month of ``created_at`` (issue 17).

Every row and id is kept (see portal/partitioning.py). At database level the
primary keys are (id, created_at), ``notification_once`` gains ``created_at``
(a notification's ``created_at`` is its event's, so it still means "once per
event, channel and recipient"), and the foreign key from notifications to
events is dropped: a partitioned table cannot be the target of one.
"""

from django.db import migrations, models
import django.db.models.deletion

from portal.partitioning import convert_to_monthly, convert_to_plain


def events_forward(apps, schema_editor):
    convert_to_monthly(schema_editor, "feedback_caseevent")


def events_backward(apps, schema_editor):
    convert_to_plain(schema_editor, "feedback_caseevent")


def notifications_forward(apps, schema_editor):
    convert_to_monthly(schema_editor, "feedback_notification")


def notifications_backward(apps, schema_editor):
    convert_to_plain(schema_editor, "feedback_notification")


class Migration(migrations.Migration):
    dependencies = [
        ('feedback', '0011_alter_submission_channel'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="event",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to="feedback.caseevent",
                    ),
                ),
                migrations.RemoveConstraint(model_name="notification", name="notification_once"),
                migrations.AddConstraint(
                    model_name="notification",
                    constraint=models.UniqueConstraint(
                        fields=("event", "channel", "recipient", "recipient_email", "created_at"),
                        name="notification_once",
                    ),
                ),
            ],
            database_operations=[
                # Backwards only: the plain tables get their foreign key back.
                migrations.RunSQL(
                    migrations.RunSQL.noop,
                    "ALTER TABLE feedback_notification ADD CONSTRAINT feedback_notification_event_id_fk_caseevent "
                    "FOREIGN KEY (event_id) REFERENCES feedback_caseevent(id) DEFERRABLE INITIALLY DEFERRED",
                ),
            ],
        ),
        migrations.RunPython(events_forward, events_backward, elidable=False),
        migrations.RunPython(notifications_forward, notifications_backward, elidable=False),
    ]
