"""Lists and counts by due time read ``oversight_deadline_open_cover`` (open and running); this one was never read,
and every deadline update paid for it (issue 17)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0002_lean_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="deadline",
            name="deadline_open_due",
        ),
    ]
