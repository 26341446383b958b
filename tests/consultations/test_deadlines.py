"""An unanswered consultation escalates like a case: warning, then one recorded level per period, once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations import services
from consultations.deadlines import escalations_sweep
from consultations.models import Consultation, ConsultationEscalation, ConsultationEvent, ConsultationStatus, Notice
from consultations.tasks import consultations_sweep
from tests.consultations.conftest import suggest

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(consultation, alice):
    suggest(consultation, title="增设路灯", text="湖滨路晚上太暗，建议增设路灯。")
    services.consultation_close(consultation_id=consultation.pk, by=alice)
    consultation.refresh_from_db()
    return consultation


def test_the_answer_deadline_comes_from_the_policy_and_the_working_calendar(closed):
    from deadlines.models import DeadlinePolicy

    policy = DeadlinePolicy.objects.get(category__isnull=True, priority="complex")
    assert f"policy #{policy.pk}" in closed.answer_trace
    assert "15 working days" in closed.answer_trace
    assert closed.answer_warn_at < closed.answer_due_at
    assert (closed.next_level, closed.next_check_at) == (0, closed.answer_warn_at)


def test_an_unanswered_consultation_is_warned_then_escalated_once_per_level_however_often_the_sweep_runs(closed):
    assert escalations_sweep(now=closed.answer_warn_at - timedelta(minutes=1)) == 0
    assert escalations_sweep(now=closed.answer_warn_at + timedelta(minutes=1)) == 1
    two_periods_late = closed.answer_due_at + closed.escalation_period * 1 + timedelta(minutes=1)
    assert escalations_sweep(now=two_periods_late) == 2  # levels 1 and 2
    assert escalations_sweep(now=two_periods_late) == 0
    assert escalations_sweep(now=two_periods_late + timedelta(minutes=5)) == 0
    levels = list(ConsultationEscalation.objects.filter(consultation=closed).values_list("level", flat=True))
    assert levels == [0, 1, 2]
    assert ConsultationEvent.objects.filter(consultation=closed, action__startswith="escalate_").count() == 3
    # Level 1 goes to the office's members, level 2 to its head.
    level_2 = Notice.objects.get(event__action="escalate_head")
    assert level_2.recipient_email == "cgj_head@qinghe.example"
    assert Notice.objects.filter(event__action="escalate_reminder").count() == 2


def test_a_second_sweep_meeting_the_same_level_records_nothing_new(closed):
    """The unique constraint (consultation, due, level) settles a race the row lock did not."""
    late = closed.answer_due_at + timedelta(minutes=1)
    escalations_sweep(now=late)
    Consultation.objects.filter(pk=closed.pk).update(next_level=0, next_check_at=closed.answer_warn_at)
    assert escalations_sweep(now=late) == 0
    # Past the deadline at the first sweep: level 1 only (a warning after the fact is not sent, as for cases).
    assert list(ConsultationEscalation.objects.filter(consultation=closed).values_list("level", flat=True)) == [1]


def test_answering_everything_stops_the_ladder(closed, alice):
    from consultations.models import SuggestionGroup

    services.groups_confirm(consultation_id=closed.pk, by=alice)
    services.group_answer(group_id=SuggestionGroup.objects.get().pk, by=alice, outcome="adopted", reason="好")
    closed.refresh_from_db()
    assert closed.status == ConsultationStatus.ANSWERED and closed.next_check_at is None
    assert escalations_sweep(now=closed.answer_due_at + timedelta(days=30)) == 0


def test_the_periodic_task_closes_what_is_due_and_starts_its_deadline(consultation):
    suggest(consultation)
    later = consultation.closes_at + timedelta(minutes=1)
    result = consultations_sweep.apply(kwargs={"now": later.isoformat()}).get()
    assert result == {"closed": 1, "escalations": 0, "anonymised": 0}
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.CLOSED and consultation.answer_due_at > later
    assert consultations_sweep.apply(kwargs={"now": later.isoformat()}).get()["closed"] == 0


def test_a_consultation_without_suggestions_is_answered_when_it_closes(consultation, alice):
    services.consultation_close(consultation_id=consultation.pk, by=alice, now=timezone.now())
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.ANSWERED
