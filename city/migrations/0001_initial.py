"""The city app takes its models from ``routing`` without touching a table.

Each model keeps the table it had (``Meta.db_table = "routing_…"``): the operations below only
change Django's idea of the models (state), never the database. ``routing.0009_app_split`` then
drops them from routing's state and moves their content types (docs/architecture.md, "The app split").
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    # After every app's last migration before the split: the split is one step at the end of the old history
    # (and a database going back through it renders the models once, not once per older migration).
    dependencies = [
        ('accounts', '0004_totp_to_django_otp'),
        ('consultations', '0002_verbose_names'),
        ('feedback', '0007_merge_20261205_1350'),
        ('open311', '0001_initial'),
        ('oversight', '0005_rollup_state'),
        ('routing', '0008_reply_templates'),
        ('surges', '0003_scan_state'),
    ]

    state_operations = [
        migrations.CreateModel(
            name='CalendarDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('date', models.DateField(unique=True, verbose_name='date')),
                ('is_working', models.BooleanField(help_text='Ticked: a working weekend day. Else a holiday.', verbose_name='working day')),
                ('name', models.CharField(blank=True, max_length=60, verbose_name='name')),
                ('source', models.CharField(choices=[('official', 'Official calendar (chinese-calendar)'), ('administrator', 'Entered by an administrator')], default='administrator', max_length=20, verbose_name='source')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
            ],
            options={
                'verbose_name': 'calendar day',
                'verbose_name_plural': 'calendar days',
                'db_table': 'routing_calendarday',
                'ordering': ['date'],
            },
        ),
        migrations.CreateModel(
            name='District',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                ('name_zh', models.CharField(max_length=100, verbose_name='Chinese name')),
                ('name_en', models.CharField(max_length=100, verbose_name='English name')),
                ('sort_order', models.PositiveIntegerField(default=0, verbose_name='sort order')),
            ],
            options={
                'verbose_name': 'district',
                'verbose_name_plural': 'districts',
                'db_table': 'routing_district',
                'ordering': ['sort_order', 'code'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Department',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                ('name_zh', models.CharField(max_length=100, verbose_name='Chinese name')),
                ('name_en', models.CharField(max_length=100, verbose_name='English name')),
                ('sort_order', models.PositiveIntegerField(default=0, verbose_name='sort order')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('duties', models.TextField(blank=True, help_text='What this office is responsible for (派单目录), one per line.', verbose_name='duty catalogue')),
                ('works_by_email', models.BooleanField(default=False, help_text='The office has no accounts and receives cases by email.', verbose_name='works by email')),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name='contact email')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='city.department', verbose_name='parent')),
            ],
            options={
                'verbose_name': 'department',
                'verbose_name_plural': 'departments',
                'db_table': 'routing_department',
                'ordering': ['sort_order', 'code'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Category',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                ('name_zh', models.CharField(max_length=100, verbose_name='Chinese name')),
                ('name_en', models.CharField(max_length=100, verbose_name='English name')),
                ('sort_order', models.PositiveIntegerField(default=0, verbose_name='sort order')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('keywords', models.CharField(blank=True, max_length=400, verbose_name='keywords')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='city.category', verbose_name='parent')),
                ('default_department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='city.department', verbose_name='default department')),
            ],
            options={
                'verbose_name': 'category',
                'verbose_name_plural': 'categories',
                'db_table': 'routing_category',
                'ordering': ['sort_order', 'code'],
                'abstract': False,
            },
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
