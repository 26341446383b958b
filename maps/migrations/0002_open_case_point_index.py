"""The hot-spot grid and the "cases nearby" box read open cases by position through this partial index.

It lives on feedback_submission but belongs to the maps (the only reader); an
index-only scan of (latitude, longitude) over open cases is what keeps the grid
fast at a million cases (see bench/bench_maps.py).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("maps", "0001_initial"),
        ("feedback", "0007_merge_20261205_1350"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS maps_open_case_point ON feedback_submission (latitude, longitude) "
            "WHERE status <> 'closed' AND latitude IS NOT NULL",
            "DROP INDEX IF EXISTS maps_open_case_point",
        ),
    ]
