"""Routing decisions become a table partitioned by month of ``created_at`` (issue 17).

Every row and id is kept; the database's primary key is (id, created_at). See
portal/partitioning.py.
"""

from django.db import migrations

from portal.partitioning import convert_to_monthly, convert_to_plain


def forward(apps, schema_editor):
    convert_to_monthly(schema_editor, "routing_routingdecision")


def backward(apps, schema_editor):
    convert_to_plain(schema_editor, "routing_routingdecision")


class Migration(migrations.Migration):
    dependencies = [('routing', '0010_routingrule_area')]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
