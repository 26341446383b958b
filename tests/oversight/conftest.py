from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.oversight import factories as f

DAY = date(2026, 3, 9)


@pytest.fixture
def departments(city):
    from routing.models import Department

    return Department.objects.get(code="CGJ"), Department.objects.get(code="ZJJ")


@pytest.fixture
def known_day(departments, settings):
    """One local day of facts for CGJ with known answers (see the comments), and one case for ZJJ.

    response 1/4, on-time reply 1/4, resolution 2/4, satisfaction 3/4, return 1/4,
    extension 2/4, handling hours 2, 4, 6, 10 (median 5, p90 8.8).
    """
    settings.OVERSIGHT_KPI_MIN_SAMPLE = 3
    cgj, zjj = departments
    # Sign-for: in time; late; closed by a return (not signed); open and overdue; open, not yet due (undecided).
    f.deadline(
        cgj, "sign_for", started=f.at(DAY, 8), due=f.at(DAY, 10), completed=f.at(DAY, 9), completed_by="sign_for"
    )
    f.deadline(
        cgj, "sign_for", started=f.at(DAY, 8), due=f.at(DAY, 10), completed=f.at(DAY, 11), completed_by="sign_for"
    )
    f.deadline(cgj, "sign_for", started=f.at(DAY, 8), due=f.at(DAY, 9), completed=f.at(DAY, 8.5), completed_by="return")
    f.deadline(cgj, "sign_for", started=f.at(DAY, 8), due=f.at(DAY, 12))
    f.deadline(cgj, "sign_for", started=f.at(DAY, 19), due=f.at(DAY, 34))
    # Reply: in time; late; closed late without a reply; closed early without reply (not judged);
    # open and overdue; open but paused (clock stopped, not judged).
    f.deadline(cgj, "reply", started=f.at(DAY, -48), due=f.at(DAY, 12), completed=f.at(DAY, 10), completed_by="reply")
    f.deadline(cgj, "reply", started=f.at(DAY, -48), due=f.at(DAY, 14), completed=f.at(DAY, 15), completed_by="reply")
    f.deadline(
        cgj, "reply", started=f.at(DAY, -48), due=f.at(DAY, 13), completed=f.at(DAY, 16), completed_by="redispatch"
    )
    f.deadline(
        cgj, "reply", started=f.at(DAY, -48), due=f.at(DAY, 18), completed=f.at(DAY, 11), completed_by="redispatch"
    )
    f.deadline(cgj, "reply", started=f.at(DAY, -48), due=f.at(DAY, 17))
    f.deadline(cgj, "reply", started=f.at(DAY, -48), due=f.at(DAY, 13), paused=f.at(DAY, 1))
    # Ratings of CGJ replies.
    f.rating(cgj, when=f.at(DAY, 9), satisfaction="satisfied", resolved=True)
    f.rating(cgj, when=f.at(DAY, 9), satisfaction="basically", resolved=False)
    f.rating(cgj, when=f.at(DAY, 9), satisfaction="unsatisfied", resolved=False)
    f.rating(cgj, when=f.at(DAY, 9), satisfaction="satisfied", resolved=True)
    # Four lead assignments, one returned the same day; two extension requests.
    first = f.assignment(cgj, when=f.at(DAY, 8), returned_at=f.at(DAY, 12))
    f.assignment(cgj, when=f.at(DAY, 8))
    f.assignment(cgj, when=f.at(DAY, 9))
    f.assignment(cgj, when=f.at(DAY, 9))
    f.event(first.submission, "extension_requested", f.at(DAY, 13))
    f.event(first.submission, "extension_requested", f.at(DAY, 14))
    # Handling times 2, 4, 6, 10 *working* hours (09:00-12:00, 13:30-18:00), across a weekend:
    # Friday 17:00 → Monday 10:00 (1 + 1), 12:00 (1 + 3), 15:30 (1 + 3 + 2);
    # Thursday 17:00 → Monday 10:30 (1 + 7.5 + 1.5). Wall-clock these are 65 to 89.5 hours.
    friday, thursday = DAY - timedelta(days=3), DAY - timedelta(days=4)
    for created, replied in [
        (f.at(friday, 17), f.at(DAY, 10)),
        (f.at(friday, 17), f.at(DAY, 12)),
        (f.at(friday, 17), f.at(DAY, 15.5)),
        (f.at(thursday, 17), f.at(DAY, 10.5)),
    ]:
        f.case(cgj, created=created, replied_at=replied, status="replied")
    # ZJJ: a single assignment, too few to rank.
    f.assignment(zjj, when=f.at(DAY, 10))
    return {"cgj": cgj, "zjj": zjj, "now": f.at(DAY, 20)}


@pytest.fixture
def later(known_day):
    return f.at(DAY + timedelta(days=3), 10)
