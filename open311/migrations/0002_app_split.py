"""The app split: foreign keys now point at the models' new apps. The columns do not change (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('city', '0001_initial'),
        ('open311', '0001_initial'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='servicedefinition',
            name='category',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='open311_definition', to='city.category', verbose_name='category'),
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
