"""The split of ``routing`` into ``city``, ``casework`` and ``deadlines`` keeps every row of a live database.

The database is taken back to the schema before the split (each app's migration before its ``*_app_split``,
the three new apps unapplied), filled through the historical models of that schema (districts, departments, a
category, a case with its assignment, deadline, escalation and events, a group with a permission, a user in it,
an admin log entry), then migrated forward. The rows, their foreign keys, the content types (same ids, new app
labels), the group's permission and the log entry must all still be there and point at the same things.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import User
from casework.models import Assignment
from city.models import Category, Department, District
from deadlines.models import Deadline, Escalation
from feedback.models import CaseEvent, Submission

NEW_APPS = ("city", "casework", "deadlines")
MOVED = {
    "city": ["district", "department", "category", "calendarday"],
    "casework": ["assignment", "returnreason", "returnrecord", "extensionrequest", "emaildelivery", "replytemplate"],
    "deadlines": ["deadlinepolicy", "deadline", "escalation", "taskfailure"],
}


def _before_split(executor: MigrationExecutor) -> list[tuple[str, str | None]]:
    """Each app's last migration before the split; the new apps not at all."""
    targets: list[tuple[str, str | None]] = [(app, None) for app in NEW_APPS]
    for (app, name), migration in executor.loader.disk_migrations.items():
        if name.endswith("_app_split"):
            own = [dep for dep in migration.dependencies if dep[0] == app]
            assert len(own) == 1, f"{app}.{name} should follow one migration of its own app"
            targets.append(own[0])
    return targets


def _content_type_ids(label: str) -> dict[str, int]:
    rows = ContentType.objects.filter(app_label=label).values_list("model", "id")
    return {model: pk for model, pk in rows}


@pytest.mark.django_db(transaction=True)
def test_a_database_populated_before_the_split_keeps_rows_foreign_keys_and_permissions():
    executor = MigrationExecutor(connection)
    before = _before_split(executor)
    executor.migrate(before)
    executor.loader.build_graph()
    old = executor.loader.project_state([node for node in before if node[1]]).apps

    # Before the split: the models are routing's, their content types too.
    assert not any(app in old.all_models and old.all_models[app] for app in NEW_APPS)
    old_types = _content_type_ids("routing")
    assert {"district", "department", "assignment", "deadline", "escalation"} <= set(old_types)
    now = timezone.now()
    district = old.get_model("routing", "District").objects.create(code="split-d", name_zh="测区", name_en="Split")
    parent = old.get_model("routing", "Department").objects.create(code="split-p", name_zh="上级", name_en="Parent")
    department = old.get_model("routing", "Department").objects.create(
        code="split-o", name_zh="测局", name_en="Office", parent=parent
    )
    category = old.get_model("routing", "Category").objects.create(
        code="split-c", name_zh="测类", name_en="Kind", default_department=department
    )
    user = old.get_model("accounts", "User").objects.create(username="split-staff", role="staff")
    case = old.get_model("feedback", "Submission").objects.create(
        tracking_number="SPLIT-0001",
        secret_hash="x" * 64,
        kind="complaint",
        category=category,
        district=district,
        lead_department=department,
        title="路灯不亮",
        text="小区门口的路灯坏了一周。",
        status="assigned",
        created_at=now,
    )
    event = old.get_model("feedback", "CaseEvent").objects.create(
        submission=case, action="route", to_status="assigned", created_at=now
    )
    assignment = old.get_model("routing", "Assignment").objects.create(
        submission=case, department=department, role="lead", status="signed_for", assigned_at=now, signed_for_by=user
    )
    deadline = old.get_model("routing", "Deadline").objects.create(
        submission=case, step="reply", department=department, started_at=now, due_at=now + timedelta(days=5)
    )
    escalation = old.get_model("routing", "Escalation").objects.create(
        submission=case, deadline=deadline, step="reply", level=1, department=department, due_at=deadline.due_at
    )
    permission = old.get_model("auth", "Permission").objects.get(
        content_type_id=old_types["deadline"], codename="view_deadline"
    )
    group = old.get_model("auth", "Group").objects.create(name="split-readers")
    group.permissions.add(permission)
    user.groups.add(group)
    # The admin's table is not part of the split: today's model writes the row as the admin did then.
    log = LogEntry.objects.create(
        user_id=user.pk, content_type_id=old_types["department"], object_id=str(department.pk), object_repr="测局",
        action_flag=2, change_message="[]", action_time=now,
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    # Same rows, same keys, through today's models.
    moved = Assignment.objects.select_related("department__parent", "submission", "signed_for_by").get(pk=assignment.pk)
    assert (moved.department.code, moved.department.parent.code) == ("split-o", "split-p")
    assert moved.submission.tracking_number == "SPLIT-0001" and moved.signed_for_by.username == "split-staff"
    kept = Submission.objects.select_related("category__default_department", "district").get(pk=case.pk)
    assert (kept.category.code, kept.category.default_department.code, kept.district.code) == (
        "split-c",
        "split-o",
        "split-d",
    )
    assert Escalation.objects.get(pk=escalation.pk).deadline == Deadline.objects.get(pk=deadline.pk)
    assert list(kept.events.values_list("pk", flat=True)) == [event.pk]
    assert CaseEvent.objects.get(pk=event.pk).action == "route"
    assert District.objects.filter(code="split-d").exists() and Category.objects.get(code="split-c")

    # The content types kept their ids and took the new app labels: nothing is left under routing.
    for app, models in MOVED.items():
        now_types = _content_type_ids(app)
        for model in models:
            if model in old_types:
                assert now_types[model] == old_types[model], f"{app}.{model} changed its content type"
    assert not set(_content_type_ids("routing")) & {m for models in MOVED.values() for m in models}
    assert ContentType.objects.get_for_model(Department).pk == old_types["department"]

    # Permissions, groups and the admin's history follow.
    staff = User.objects.get(pk=user.pk)
    assert staff.has_perm("deadlines.view_deadline")
    assert list(Group.objects.get(pk=group.pk).permissions.values_list("content_type__app_label", "codename")) == [
        ("deadlines", "view_deadline")
    ]
    entry = LogEntry.objects.get(pk=log.pk)
    assert entry.content_type.app_label == "city" and entry.get_edited_object() == Department.objects.get(
        code="split-o"
    )
