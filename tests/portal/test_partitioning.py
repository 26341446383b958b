"""Monthly partitions of case events, notifications and routing decisions (issue 17, portal/partitioning.py).

The database is taken back to before the conversion, filled through the real
services (submit, route, sign for — with notifications), then migrated
forward: every row and id must survive, each in the partition of its month,
and new rows written afterwards land in theirs. Partitions ahead of the clock
come from ``ensure_partitions`` (beat task and command).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from casework.services import assignment_sign_for
from city.models import Category, District
from feedback.models import CaseEvent, Notification, Submission
from feedback.notifications import enqueue_for_event
from feedback.services import submission_create
from portal.partitioning import (
    ensure_partitions,
    is_partitioned,
    managed_tables,
    partition_holding,
    partition_name,
    partitions_of,
)
from portal.tasks import ensure_partitions_task
from routing.models import RoutingDecision
from routing.services import submission_route

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = {
    "feedback_caseevent": CaseEvent,
    "feedback_notification": Notification,
    "routing_routingdecision": RoutingDecision,
}


def _month(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def _a_case_through_the_services(at: datetime, n: int) -> Submission:
    from accounts.models import User

    case, _secret, _created = submission_create(
        data={
            "kind": "complaint",
            "title": "小区门口垃圾没人清理",
            "text": f"红星里小区门口垃圾堆了三天，没人清理，气味很大。#{n}",
            "category": Category.objects.get(code="city.garbage"),
            "district": District.objects.get(code="dongcheng"),
            "phone": "13800000000",
            "email": f"citizen{n}@example.com",
        },
        now=at,
    )
    routed = submission_route(submission_id=case.pk, now=at + timedelta(minutes=1))
    assert routed is not None and routed.lead_department_id is not None
    staff = User.objects.filter(memberships__department=routed.lead_department).first()
    assignment_sign_for(submission_id=case.pk, actor=staff, now=at + timedelta(minutes=5))
    return case


def _rows() -> dict[str, dict[int, datetime]]:
    return {table: dict(model.objects.values_list("id", "created_at")) for table, model in TABLES.items()}


def test_converting_a_populated_database_keeps_every_row_and_new_rows_land_in_their_month(city):
    now = timezone.now()
    call_command("migrate", "routing", "0010", verbosity=0)  # just before its partitioning
    call_command("migrate", "feedback", "0011", verbosity=0)  # just before its partitioning
    try:
        assert not any(is_partitioned(table) for table in TABLES)
        old_cases = [_a_case_through_the_services(now - timedelta(days=62), n) for n in range(3)]
        old_cases += [_a_case_through_the_services(now - timedelta(hours=2), n) for n in range(3, 5)]
        before = _rows()
        assert all(before.values()), {table: len(rows) for table, rows in before.items()}
        assert Notification.objects.filter(recipient__isnull=False).exists()  # staff heard of the new case
    finally:
        call_command("migrate", verbosity=0)

    after = _rows()
    for table in TABLES:
        assert is_partitioned(table)
        assert after[table] == before[table], table  # every row, id and time kept
        for pk, created_at in after[table].items():
            assert partition_holding(table, pk) == partition_name(table, _month(created_at))
        assert partition_name(table, _month(now - timedelta(days=62))) in partitions_of(table)
        assert not _default_rows(table)
    assert {table for table, _column in managed_tables()} == set(TABLES)

    # New rows after the conversion: next ids of the same sequence, in this month's partition.
    new_case = _a_case_through_the_services(timezone.now(), 99)
    for table, model in TABLES.items():
        fresh = model.objects.exclude(id__in=after[table]).values_list("id", "created_at")
        assert fresh, table
        for pk, created_at in fresh:
            assert pk > max(after[table])
            assert partition_holding(table, pk) == partition_name(table, _month(created_at))
    # Relations still read both ways, and a staff notification is still made once per event and recipient.
    event = CaseEvent.objects.filter(submission=new_case, action="route").get()
    staff_notes = event.notifications.filter(recipient__isnull=False)
    count = staff_notes.count()
    assert count >= 1 and all(note.event_id == event.pk for note in staff_notes)
    enqueue_for_event(event)
    assert staff_notes.count() == count
    assert Submission.objects.get(pk=old_cases[0].pk).events.count() == before_events_of(before, old_cases[0])


def before_events_of(before, case) -> int:
    return CaseEvent.objects.filter(submission=case, id__in=before["feedback_caseevent"]).count()


def _default_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}_pdefault")
        return cursor.fetchone()[0]


def test_ensure_partitions_makes_months_ahead_and_moves_stray_rows_out_of_the_default(city):
    now = timezone.now()
    far = _month(now) + timedelta(days=31 * 8 + 3)  # beyond the months the migration made
    assert partition_name("feedback_caseevent", _month(far)) not in partitions_of("feedback_caseevent")
    case = _a_case_through_the_services(far, 1)  # a back-dated or future import lands in the default
    for table in TABLES:
        assert _default_rows(table) >= 1, table

    made = ensure_partitions(2, now=now)
    names = {m.partition for m in made}
    for table in TABLES:
        assert partition_name(table, _month(far)) in names
        assert _default_rows(table) == 0
    assert sum(m.moved_rows for m in made) == sum(
        model.objects.filter(created_at__gte=_month(far)).count() for model in TABLES.values()
    )
    event = CaseEvent.objects.filter(submission=case).first()
    assert partition_holding("feedback_caseevent", event.pk) == partition_name("feedback_caseevent", _month(far))
    assert ensure_partitions(2, now=now) == []  # twice is once

    # The daily beat task and the command keep months ahead of the clock.
    ensure_partitions_task.apply()
    for table in TABLES:
        for ahead in range(4):
            month = _month(_month(now) + timedelta(days=31 * ahead + 1))
            assert partition_name(table, month) in partitions_of(table)
    call_command("ensure_partitions", "--months-ahead", "5", verbosity=0)
    month = _month(_month(now) + timedelta(days=31 * 5 + 1))
    assert all(partition_name(table, month) in partitions_of(table) for table in TABLES)


def test_ensure_partitions_command_refuses_a_silly_horizon(city):
    from django.core.management.base import CommandError

    before = partitions_of("feedback_caseevent")
    with pytest.raises(CommandError, match="months-ahead"):
        call_command("ensure_partitions", "--months-ahead", "-1")
    assert partitions_of("feedback_caseevent") == before
