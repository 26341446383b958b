"""The hot-spot grid and the "cases nearby" box read open cases by position through this partial index.

It lives on feedback_submission but belongs to the maps (the only reader); an
index-only scan of (latitude, longitude) over open cases serves the live count
and the rebuild of the hot-spot cells, and with (created_at, id) included, a
cell's drill-down page without touching the table (see bench/bench_maps.py).
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
            "INCLUDE (created_at, id) WHERE status <> 'closed' AND latitude IS NOT NULL",
            "DROP INDEX IF EXISTS maps_open_case_point",
        ),
    ]
