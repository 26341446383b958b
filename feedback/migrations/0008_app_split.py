"""The app split: foreign keys now point at the models' new apps. The columns do not change (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('city', '0001_initial'),
        ('feedback', '0007_merge_20261205_1350'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='reply',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='replies', to='city.department'),
        ),
        migrations.AlterField(
            model_name='submission',
            name='category',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='city.category', verbose_name='category'),
        ),
        migrations.AlterField(
            model_name='submission',
            name='district',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='city.district', verbose_name='district'),
        ),
        migrations.AlterField(
            model_name='submission',
            name='lead_department',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='led_cases', to='city.department', verbose_name='lead department'),
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
