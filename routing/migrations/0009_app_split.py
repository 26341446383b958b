"""The app split: the city, casework and deadline models leave routing's state; their tables stay.

State only (the tables are now those of ``city``, ``casework`` and ``deadlines``, which kept the names),
then the content types follow, so permissions, groups and admin log entries keep pointing at them.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = {
    "city": ["district", "department", "category", "calendarday"],
    "casework": ["assignment", "returnreason", "returnrecord", "extensionrequest", "emaildelivery", "replytemplate"],
    "deadlines": ["deadlinepolicy", "deadline", "escalation", "taskfailure"],
}


def _relabel(apps, schema_editor, *, backwards: bool) -> None:
    """Give the moved models' content types their new app label (permissions and log entries point at them).

    A row already made under the new label (post_migrate ran on a half-migrated database) gives way to the old
    one, which is the row permissions, groups and admin log entries point at.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for app, models_ in MOVED.items():
        old_label, new_label = (app, "routing") if backwards else ("routing", app)
        for model in models_:
            row = types.filter(app_label=old_label, model=model).first()
            if row is None:
                continue
            types.filter(app_label=new_label, model=model).delete()
            row.app_label = new_label
            row.save(update_fields=["app_label"])


def content_types_forwards(apps, schema_editor):
    _relabel(apps, schema_editor, backwards=False)


def content_types_backwards(apps, schema_editor):
    _relabel(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_app_split'),
        ('casework', '0001_initial'),
        ('city', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('deadlines', '0001_initial'),
        ('consultations', '0003_app_split'),
        ('feedback', '0008_app_split'),
        ('open311', '0002_app_split'),
        ('oversight', '0006_app_split'),
        ('routing', '0008_reply_templates'),
        ('surges', '0004_app_split'),
    ]

    # Routing's own foreign keys first point at the city; then the moved models leave routing's state, those that
    # point at others first (a model's fields go with it: no RemoveField needed, and each step renders fewer models).
    state_operations = [
        migrations.AlterField(
            model_name='routingrule',
            name='category',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='city.category', verbose_name='category (with its subtree)'),
        ),
        migrations.AlterField(
            model_name='routingrule',
            name='lead_department',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='city.department', verbose_name='lead department'),
        ),
        migrations.AlterField(
            model_name='routingdecision',
            name='department',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='city.department', verbose_name='department'),
        ),
        migrations.AlterField(
            model_name='routingrule',
            name='district',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='city.district', verbose_name='district'),
        ),
        migrations.AlterField(
            model_name='routingrule',
            name='co_departments',
            field=models.ManyToManyField(blank=True, related_name='+', to='city.department', verbose_name='co-handling departments'),
        ),
        migrations.DeleteModel(name='ReturnRecord'),
        migrations.DeleteModel(name='EmailDelivery'),
        migrations.DeleteModel(name='Escalation'),
        migrations.DeleteModel(name='ExtensionRequest'),
        migrations.DeleteModel(name='ReplyTemplate'),
        migrations.DeleteModel(name='Assignment'),
        migrations.DeleteModel(name='Deadline'),
        migrations.DeleteModel(name='DeadlinePolicy'),
        migrations.DeleteModel(name='ReturnReason'),
        migrations.DeleteModel(name='TaskFailure'),
        migrations.DeleteModel(name='CalendarDay'),
        migrations.DeleteModel(name='Category'),
        migrations.DeleteModel(name='Department'),
        migrations.DeleteModel(name='District'),
    ]
    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]
