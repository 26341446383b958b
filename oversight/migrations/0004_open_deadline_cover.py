"""A covering index for the overdue dashboard (open deadlines counted without touching the table) and escalations."""

from django.db import migrations

NAME = "oversight_deadline_open_cover"
ESCALATIONS = "oversight_event_escalations"


def create(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON routing_deadline (due_at) "
        "INCLUDE (department_id, step, submission_id, id) WHERE is_open AND paused_at IS NULL"
    )
    # Escalation events, for the public list of criticised cases (until routing.Escalation replaces them).
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {ESCALATIONS} ON feedback_caseevent (submission_id) WHERE kind = 'escalation'"
    )


def drop(apps, schema_editor):
    for name in (NAME, ESCALATIONS):
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("oversight", "0003_rollup_histograms"), ("routing", "0004_returnreason_assignment_due_at_assignment_opinion_at_and_more")]

    operations = [migrations.RunPython(create, drop)]
