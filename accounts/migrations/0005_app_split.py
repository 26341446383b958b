"""The app split: foreign keys now point at the models' new apps. The columns do not change (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_totp_to_django_otp'),
        ('city', '0001_initial'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='membership',
            name='department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='city.department'),
        ),
        migrations.AlterField(
            model_name='user',
            name='departments',
            field=models.ManyToManyField(blank=True, related_name='members', through='accounts.Membership', to='city.department', verbose_name='departments'),
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
