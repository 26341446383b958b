"""The casework app takes its models from ``routing`` without touching a table.

Each model keeps the table it had (``Meta.db_table = "routing_…"``): the operations below only
change Django's idea of the models (state), never the database. ``routing.0009_app_split`` then
drops them from routing's state and moves their content types (docs/architecture.md, "The app split").
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('routing', '0008_reply_templates'),
        ('city', '0001_initial'),
        ('feedback', '0008_app_split'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='ReturnReason',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, unique=True, verbose_name='code')),
                ('name_zh', models.CharField(max_length=100, verbose_name='Chinese name')),
                ('name_en', models.CharField(max_length=100, verbose_name='English name')),
                ('sort_order', models.PositiveIntegerField(default=0, verbose_name='sort order')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
            ],
            options={
                'verbose_name': 'return reason',
                'verbose_name_plural': 'return reasons',
                'db_table': 'routing_returnreason',
                'ordering': ['sort_order', 'code'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='Assignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('lead', 'Lead (主办)'), ('co', 'Co-handling (协办)')], default='lead', max_length=10, verbose_name='role')),
                ('status', models.CharField(choices=[('assigned', 'Assigned'), ('signed_for', 'Signed for'), ('opinion_given', 'Opinion given'), ('returned', 'Returned'), ('done', 'Done'), ('cancelled', 'Cancelled')], default='assigned', max_length=20, verbose_name='status')),
                ('assigned_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='assigned at')),
                ('signed_for_at', models.DateTimeField(blank=True, null=True, verbose_name='signed for at')),
                ('opinion', models.TextField(blank=True, verbose_name='co-handling opinion')),
                ('opinion_at', models.DateTimeField(blank=True, null=True, verbose_name='opinion given at')),
                ('due_at', models.DateTimeField(blank=True, null=True, verbose_name='due at')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended at')),
                ('assigned_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='city.department')),
                ('handler', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='handled_assignments', to=settings.AUTH_USER_MODEL, verbose_name='handler')),
                ('signed_for_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='feedback.submission')),
            ],
            options={
                'verbose_name': 'assignment',
                'verbose_name_plural': 'assignments',
                'db_table': 'routing_assignment',
            },
        ),
        migrations.CreateModel(
            name='EmailDelivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('to_email', models.EmailField(max_length=254)),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('failed', 'Failed')], default='pending', max_length=10)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('last_error', models.CharField(blank=True, max_length=200)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('assignment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='email_delivery', to='casework.assignment')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='email_deliveries', to='city.department')),
            ],
            options={
                'verbose_name': 'email delivery',
                'verbose_name_plural': 'email deliveries',
                'db_table': 'routing_emaildelivery',
            },
        ),
        migrations.CreateModel(
            name='ExtensionRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('step', models.CharField(choices=[('sign_for', 'Sign for'), ('reply', 'Reply'), ('rating', 'Rating')], default='reply', max_length=20)),
                ('reason', models.TextField(verbose_name='reason')),
                ('current_due_at', models.DateTimeField(verbose_name='current due date')),
                ('requested_due_at', models.DateTimeField(verbose_name='requested due date')),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('decision', models.CharField(choices=[('pending', 'Pending'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('withdrawn', 'Withdrawn')], default='pending', max_length=10)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_note', models.TextField(blank=True)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='extension_requests', to='city.department')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='extension_requests', to='feedback.submission')),
            ],
            options={
                'verbose_name': 'extension request',
                'verbose_name_plural': 'extension requests',
                'db_table': 'routing_extensionrequest',
                'ordering': ['requested_at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ReplyTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=100, verbose_name='title')),
                ('text', models.TextField(verbose_name='text')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('sort_order', models.PositiveIntegerField(default=0, verbose_name='order')),
                ('category', models.ForeignKey(blank=True, help_text="Empty: offered for every category. A parent category's templates serve its children too.", null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reply_templates', to='city.category', verbose_name='category')),
            ],
            options={
                'verbose_name': 'reply template',
                'verbose_name_plural': 'reply templates',
                'db_table': 'routing_replytemplate',
                'ordering': ['sort_order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ReturnRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(verbose_name='explanation')),
                ('from_status', models.CharField(max_length=20)),
                ('requested_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('decision', models.CharField(choices=[('pending', 'Pending'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('withdrawn', 'Withdrawn')], default='pending', max_length=10)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_note', models.TextField(blank=True)),
                ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='return_records', to='casework.assignment')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='return_records', to='city.department')),
                ('reason', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='casework.returnreason', verbose_name='reason')),
                ('redispatched_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='city.department')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('submission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='return_records', to='feedback.submission')),
            ],
            options={
                'verbose_name': 'return',
                'verbose_name_plural': 'returns',
                'db_table': 'routing_returnrecord',
                'ordering': ['requested_at', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['department', 'status'], name='assignment_dept_status'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.UniqueConstraint(condition=models.Q(('role', 'lead'), ('status__in', ['assigned', 'signed_for'])), fields=('submission',), name='assignment_one_live_lead'),
        ),
        migrations.AddIndex(
            model_name='emaildelivery',
            index=models.Index(condition=models.Q(('status', 'pending')), fields=['next_attempt_at'], name='delivery_pending_due'),
        ),
        migrations.AddConstraint(
            model_name='extensionrequest',
            constraint=models.UniqueConstraint(condition=models.Q(('decision', 'pending')), fields=('submission', 'step'), name='extension_one_pending'),
        ),
        migrations.AddIndex(
            model_name='returnrecord',
            index=models.Index(fields=['requested_at'], name='returnrecord_requested'),
        ),
        migrations.AddConstraint(
            model_name='returnrecord',
            constraint=models.UniqueConstraint(condition=models.Q(('decision', 'pending')), fields=('submission',), name='returnrecord_one_pending_per_case'),
        ),
    ]
    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
