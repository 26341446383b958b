"""Indexes the KPI fact queries need on other apps' tables (range scans by date).

Kept here, not in those apps, so the oversight feature carries its own cost;
IF NOT EXISTS makes them safe to move later.
"""

from django.db import migrations

INDEXES = [
    ("oversight_deadline_completed", "routing_deadline", "(step, completed_at) WHERE is_open = false"),
    ("oversight_assignment_assigned", "routing_assignment", "(assigned_at, department_id) WHERE role = 'lead'"),
    ("oversight_assignment_ended", "routing_assignment", "(ended_at) WHERE status = 'returned'"),
    ("oversight_rating_created", "feedback_rating", "(created_at)"),
    ("oversight_event_action_created", "feedback_caseevent", "(action, created_at)"),
    ("oversight_submission_replied", "feedback_submission", "(replied_at) WHERE replied_at IS NOT NULL"),
    ("oversight_submission_returns", "feedback_submission", "(return_count) WHERE return_count > 1"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0001_initial"),
        ("feedback", "0004_alter_caseevent_kind"),
        ("routing", "0004_returnreason_assignment_due_at_assignment_opinion_at_and_more"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, columns in INDEXES
    ]
