"""The app split: foreign keys now point at the models' new apps. The columns do not change (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('city', '0001_initial'),
        ('oversight', '0005_rollup_state'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='departmentday',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='city.department'),
        ),
        migrations.AlterField(
            model_name='handlingday',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='city.department'),
        ),
        migrations.AlterField(
            model_name='volumeday',
            name='category',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='city.category'),
        ),
        migrations.AlterField(
            model_name='volumeday',
            name='department',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='city.department'),
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
