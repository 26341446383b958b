from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from feedback.models import CloseReason, Status, Submission
from feedback.retention import submissions_anonymise_closed

pytestmark = pytest.mark.django_db


def make_case(number: str, *, status: str, closed_days_ago: int | None) -> Submission:
    now = timezone.now()
    return Submission.objects.create(
        tracking_number=number,
        secret_hash="x",
        kind="complaint",
        title="t",
        text="路灯坏了",
        name="张三",
        phone="13800138000",
        email="z@example.com",
        address="红星里3号",
        status=status,
        close_reason=CloseReason.RATED if status == Status.CLOSED else "",
        closed_at=None if closed_days_ago is None else now - timedelta(days=closed_days_ago),
    )


def test_old_closed_cases_lose_contact_details_and_keep_their_text():
    old = make_case("QH1", status=Status.CLOSED, closed_days_ago=40)
    recent = make_case("QH2", status=Status.CLOSED, closed_days_ago=5)
    still_open = make_case("QH3", status=Status.IN_PROGRESS, closed_days_ago=None)

    assert submissions_anonymise_closed(older_than_days=30) == 1
    old.refresh_from_db()
    assert (old.name, old.phone, old.email, old.address) == ("", "", "", "")
    assert old.text == "路灯坏了" and old.anonymised_at is not None
    for case in (recent, still_open):
        case.refresh_from_db()
        assert case.phone == "13800138000"


def test_anonymising_twice_changes_nothing_more(capsys):
    make_case("QH1", status=Status.CLOSED, closed_days_ago=40)
    call_command("anonymise_closed", "--days", "30")
    call_command("anonymise_closed", "--days", "30")
    assert capsys.readouterr().out.split() == ["anonymised=1", "anonymised=0"]
