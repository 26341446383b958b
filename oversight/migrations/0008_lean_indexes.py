"""A key's own index goes where a unique or composite index already starts with it (issue 17; the column has no
other one-column index, so Django's own removal drops exactly that one)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("city", "0001_initial"),
        ("oversight", "0007_department_day_answered_directly"),
    ]

    operations = [
        migrations.AlterField(
            model_name="departmentday",
            name="department",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="city.department"
            ),
        ),
        migrations.AlterField(
            model_name="handlingday",
            name="department",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="city.department"
            ),
        ),
    ]
