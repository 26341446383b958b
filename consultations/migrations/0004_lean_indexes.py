"""A key's own index goes where a unique or composite index already starts with it (issue 17; the column has no
other one-column index, so Django's own removal drops exactly that one)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_app_split"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consultationescalation",
            name="consultation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="escalations",
                to="consultations.consultation",
            ),
        ),
        migrations.AlterField(
            model_name="notice",
            name="event",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notices",
                to="consultations.consultationevent",
            ),
        ),
        migrations.AlterField(
            model_name="suggestion",
            name="consultation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="suggestions",
                to="consultations.consultation",
            ),
        ),
        migrations.AlterField(
            model_name="support",
            name="consultation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="supports",
                to="consultations.consultation",
            ),
        ),
    ]
