"""The app split: foreign keys now point at the models' new apps. The columns do not change (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('city', '0001_initial'),
        ('consultations', '0002_verbose_names'),
        ('deadlines', '0001_initial'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='answer',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='city.department'),
        ),
        migrations.AlterField(
            model_name='consultation',
            name='categories',
            field=models.ManyToManyField(blank=True, related_name='+', to='city.category', verbose_name='topics'),
        ),
        migrations.AlterField(
            model_name='consultation',
            name='deadline_policy',
            field=models.ForeignKey(blank=True, help_text='Empty: the default policy for complex matters.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='deadlines.deadlinepolicy', verbose_name='deadline policy'),
        ),
        migrations.AlterField(
            model_name='consultation',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='consultations', to='city.department', verbose_name='answering office'),
        ),
        migrations.AlterField(
            model_name='consultation',
            name='districts',
            field=models.ManyToManyField(blank=True, related_name='+', to='city.district', verbose_name='districts'),
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
