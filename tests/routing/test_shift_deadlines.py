"""``shift_deadlines`` moves a case's open deadlines as if time had passed; the sweep then records each level once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from deadlines.escalation import deadlines_sweep
from deadlines.models import Deadline, Escalation

pytestmark = pytest.mark.django_db


def _open(case) -> Deadline:
    return Deadline.objects.get(submission=case, is_open=True)


def test_due_in_moves_the_whole_ladder_so_the_sweep_warns_then_escalates_once(make_case, capsys):
    case = make_case(timezone.localtime().strftime("%Y-%m-%d %H:%M"))
    before = _open(case)
    call_command("shift_deadlines", "--case", case.tracking_number, "--due-in", "0.1")
    moved = _open(case)
    assert abs((moved.due_at - timezone.now()) - timedelta(minutes=6)) < timedelta(seconds=30)
    assert moved.due_at - moved.warn_at == before.due_at - before.warn_at  # the ladder moved as one
    assert case.tracking_number in capsys.readouterr().out
    deadlines_sweep(now=timezone.now(), send=lambda ids: None)
    assert list(Escalation.objects.filter(submission=case).values_list("level", flat=True)) == [0]

    call_command("shift_deadlines", "--case", case.tracking_number, "--due-in", "-1")
    for _ in range(2):  # a second sweep records nothing again
        deadlines_sweep(now=timezone.now(), send=lambda ids: None)
    assert sorted(Escalation.objects.filter(submission=case).values_list("level", flat=True)) == [0, 1]


def test_hours_shifts_every_open_deadline_by_that_much(make_case):
    case = make_case("2026-03-02 08:30")
    before = _open(case)
    call_command("shift_deadlines", "--case", case.tracking_number, "--hours", "-48")
    after = _open(case)
    assert before.due_at - after.due_at == timedelta(hours=48)
    assert before.next_check_at - after.next_check_at == timedelta(hours=48)
    assert "shifted by -48.00 h" in after.trace


def test_an_unknown_case_is_refused():
    with pytest.raises(CommandError, match="No case"):
        call_command("shift_deadlines", "--case", "QH20000101-000001", "--hours", "-1")
