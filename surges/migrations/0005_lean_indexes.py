"""A key's own index goes where a unique or composite index already starts with it (issue 17; the column has no
other one-column index, so Django's own removal drops exactly that one)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("surges", "0004_app_split"),
    ]

    operations = [
        migrations.AlterField(
            model_name="surgealertmember",
            name="alert",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="members",
                to="surges.surgealert",
            ),
        ),
        migrations.AlterField(
            model_name="surgealertnotification",
            name="alert",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="surges.surgealert",
            ),
        ),
    ]
