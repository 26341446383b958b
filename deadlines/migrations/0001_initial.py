"""The deadlines app takes its models from ``routing`` without touching a table.

Each model keeps the table it had (``Meta.db_table = "routing_…"``): the operations below only
change Django's idea of the models (state), never the database. ``routing.0009_app_split`` then
drops them from routing's state and moves their content types (docs/architecture.md, "The app split").
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('routing', '0008_reply_templates'),
        ('city', '0001_initial'),
        ('feedback', '0008_app_split'),
    ]

    state_operations = [
        migrations.CreateModel(
            name='TaskFailure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('task_name', models.CharField(max_length=200, verbose_name='task')),
                ('task_id', models.CharField(blank=True, max_length=64)),
                ('arguments', models.TextField(blank=True, verbose_name='arguments')),
                ('error', models.TextField(verbose_name='error')),
                ('failed_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='failed at')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='resolved at')),
            ],
            options={
                'verbose_name': 'failed task',
                'verbose_name_plural': 'failed tasks',
                'db_table': 'routing_taskfailure',
                'ordering': ['-failed_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='DeadlinePolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('priority', models.CharField(choices=[('urgent', 'Urgent'), ('normal', 'Normal'), ('complex', 'Complex')], max_length=10, verbose_name='priority')),
                ('sign_for_amount', models.PositiveIntegerField(verbose_name='time to sign for')),
                ('sign_for_unit', models.CharField(choices=[('hours', 'hours (clock time)'), ('working_hours', 'working hours'), ('working_days', 'working days'), ('days', 'days (calendar)')], max_length=20, verbose_name='unit')),
                ('reply_amount', models.PositiveIntegerField(verbose_name='time to reply')),
                ('reply_unit', models.CharField(choices=[('hours', 'hours (clock time)'), ('working_hours', 'working hours'), ('working_days', 'working days'), ('days', 'days (calendar)')], max_length=20, verbose_name='unit')),
                ('rating_days', models.PositiveIntegerField(default=7, verbose_name='rating window (days)')),
                ('warn_percent', models.PositiveSmallIntegerField(default=75, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(99)], verbose_name='warning at this percentage of the time')),
                ('warn_hours_before', models.PositiveIntegerField(blank=True, help_text='When set, replaces the percentage.', null=True, verbose_name='warning hours before the deadline')),
                ('escalation_period_hours', models.PositiveIntegerField(default=24, validators=[django.core.validators.MinValueValidator(1)], verbose_name='hours between escalation levels')),
                ('escalation_levels', models.PositiveSmallIntegerField(default=4, help_text='1 reminder, 2 department head, 3 supervision order, 4 public criticism.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)], verbose_name='escalation levels after the deadline')),
                ('supervision_instructions', models.TextField(blank=True, default='', help_text='Recorded on the case when a formal supervision order is issued.', verbose_name='supervision order instructions')),
                ('category', models.ForeignKey(blank=True, help_text='Empty: the default for every category.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='deadline_policies', to='city.category', verbose_name='category')),
            ],
            options={
                'verbose_name': 'deadline policy',
                'verbose_name_plural': 'deadline policies',
                'db_table': 'routing_deadlinepolicy',
                'ordering': ['category__code', 'priority'],
            },
        ),
        migrations.CreateModel(
            name='Deadline',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('step', models.CharField(choices=[('sign_for', 'Sign for'), ('reply', 'Reply'), ('rating', 'Rating')], max_length=20, verbose_name='step')),
                ('started_at', models.DateTimeField(verbose_name='started at')),
                ('due_at', models.DateTimeField(verbose_name='due at')),
                ('warn_at', models.DateTimeField(blank=True, null=True, verbose_name='warning at')),
                ('in_working_time', models.BooleanField(default=True, verbose_name='counted in working time')),
                ('paused_at', models.DateTimeField(blank=True, null=True, verbose_name='paused at')),
                ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='completed at')),
                ('is_open', models.BooleanField(default=True)),
                ('is_provisional', models.BooleanField(default=False, help_text='Computed without an official holiday calendar.', verbose_name='provisional')),
                ('trace', models.TextField(blank=True, verbose_name='how it was computed')),
                ('next_level', models.PositiveSmallIntegerField(default=0, verbose_name='next escalation level')),
                ('next_check_at', models.DateTimeField(blank=True, null=True, verbose_name='next escalation at')),
                ('escalation_period', models.DurationField(blank=True, null=True, verbose_name='time between escalation levels')),
                ('max_level', models.PositiveSmallIntegerField(default=4, verbose_name='highest escalation level')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='city.department')),
                ('extended_from', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='deadlines.deadline', verbose_name='extends')),
                ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deadlines', to='feedback.submission')),
                ('policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='deadlines.deadlinepolicy')),
            ],
            options={
                'verbose_name': 'deadline',
                'verbose_name_plural': 'deadlines',
                'db_table': 'routing_deadline',
            },
        ),
        migrations.CreateModel(
            name='Escalation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('step', models.CharField(choices=[('sign_for', 'Sign for'), ('reply', 'Reply'), ('rating', 'Rating')], max_length=20, verbose_name='step')),
                ('level', models.PositiveSmallIntegerField(choices=[(0, 'Warning (临期预警)'), (1, 'Reminder to the department (催办)'), (2, 'Department head told'), (3, 'Formal supervision order (督办)'), (4, 'Public criticism (通报)')], verbose_name='level')),
                ('due_at', models.DateTimeField(verbose_name='due at')),
                ('instructions', models.TextField(blank=True, verbose_name='instructions')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='escalated at')),
                ('deadline', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='escalations', to='deadlines.deadline')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='city.department')),
                ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='escalations', to='feedback.submission')),
            ],
            options={
                'verbose_name': 'escalation',
                'verbose_name_plural': 'escalations',
                'db_table': 'routing_escalation',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddConstraint(
            model_name='deadlinepolicy',
            constraint=models.UniqueConstraint(fields=('category', 'priority'), name='policy_category_priority'),
        ),
        migrations.AddConstraint(
            model_name='deadlinepolicy',
            constraint=models.UniqueConstraint(condition=models.Q(('category__isnull', True)), fields=('priority',), name='policy_default_priority'),
        ),
        migrations.AddIndex(
            model_name='deadline',
            index=models.Index(condition=models.Q(('is_open', True)), fields=['due_at'], name='deadline_open_due'),
        ),
        migrations.AddIndex(
            model_name='deadline',
            index=models.Index(fields=['submission', 'step'], name='deadline_submission_step'),
        ),
        migrations.AddIndex(
            model_name='deadline',
            index=models.Index(condition=models.Q(('is_open', True), ('next_check_at__isnull', False), ('paused_at__isnull', True)), fields=['next_check_at', 'id'], name='deadline_open_next_check'),
        ),
        migrations.AddConstraint(
            model_name='deadline',
            constraint=models.UniqueConstraint(condition=models.Q(('is_open', True)), fields=('submission', 'step'), name='deadline_one_open_per_step'),
        ),
        migrations.AddIndex(
            model_name='escalation',
            index=models.Index(fields=['level', 'created_at'], name='escalation_level_created'),
        ),
        migrations.AddConstraint(
            model_name='escalation',
            constraint=models.UniqueConstraint(fields=('submission', 'step', 'deadline', 'level'), name='escalation_once'),
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
