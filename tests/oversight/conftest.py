from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.oversight import drive as d

DAY = date(2026, 3, 9)


@pytest.fixture
def departments(city):
    from city.models import Department

    return Department.objects.get(code="CGJ"), Department.objects.get(code="ZJJ")


@pytest.fixture
def known_day(departments, settings):
    """One local day (a Monday) of CGJ casework with known answers, all of it done through the services.

    Deadline policies are in clock hours: sign for within 2 h, reply within 96 h of signing.
    response 1/3 (the return pauses its clock), on-time reply 5/8, resolution 2/4, satisfaction 3/4,
    return 1/5, extension 2/5, handling working hours 2, 4, 6, 12, 13, 16 (median 9, p90 14.5).
    ZJJ gets two cases, too few to rank.
    """
    settings.OVERSIGHT_KPI_MIN_SAMPLE = 3
    cgj, zjj = departments
    d.clock_policies()
    thursday, friday = DAY - timedelta(days=4), DAY - timedelta(days=3)
    # Sign-for, all assigned on the day: in time; late; returned (its clock paused, not judged);
    # open and overdue; open, not yet due (undecided).
    d.case(cgj, created=d.at(DAY, 8), signed=d.at(DAY, 9))
    d.case(cgj, created=d.at(DAY, 8), signed=d.at(DAY, 11))
    d.return_(d.case(cgj, created=d.at(DAY, 8)), d.at(DAY, 8.5))
    d.case(cgj, created=d.at(DAY, 8))
    d.case(cgj, created=d.at(DAY, 19))
    # Reply deadlines (96 h from signing on Thursday): in time, in the last tenth of its window; late;
    # transferred after its due time (closed late without a reply); transferred early (not judged);
    # open and overdue; waiting for the citizen (clock stopped, not judged).
    on_time = d.case(cgj, created=d.at(thursday, 12), signed=d.at(thursday, 12))
    d.reply(on_time, d.at(DAY, 10))
    late = d.case(cgj, created=d.at(thursday, 14), signed=d.at(thursday, 14))
    d.reply(late, d.at(DAY, 15))
    d.redispatch(d.case(cgj, created=d.at(thursday, 13), signed=d.at(thursday, 13)), zjj, d.at(DAY, 16))
    d.redispatch(d.case(cgj, created=d.at(thursday, 18), signed=d.at(thursday, 18)), zjj, d.at(DAY, 11))
    overdue = d.case(cgj, created=d.at(thursday, 17), signed=d.at(thursday, 17))
    waiting = d.case(cgj, created=d.at(thursday, 13), signed=d.at(thursday, 13))
    d.request_material(waiting, d.at(DAY, 1))
    # Two extension requests, made through the casework service.
    d.extension(overdue, d.at(DAY, 13))
    d.extension(waiting, d.at(DAY, 14))
    # Replies in time after a weekend, handling 2, 4, 6 and 12 *working* hours (09:00-12:00, 13:30-18:00):
    # Friday 17:00 → Monday 10:00 (1 + 1), 12:00 (1 + 3), 15:30 (1 + 3 + 2); Friday 09:00 → Monday 15:00
    # (7.5 + 4.5). With the two above (Thursday 12:00 → Monday 10:00 is 13, 14:00 → 15:00 is 16).
    for created, replied in [
        (d.at(friday, 17), d.at(DAY, 10)),
        (d.at(friday, 17), d.at(DAY, 12)),
        (d.at(friday, 17), d.at(DAY, 15.5)),
        (d.at(friday, 9), d.at(DAY, 15)),
    ]:
        d.reply(d.case(cgj, created=created, signed=created), replied)
    # Ratings of CGJ replies (answered on Sunday, rated on the day).
    d.rated(cgj, when=d.at(DAY, 9), satisfaction="satisfied", resolved=True)
    d.rated(cgj, when=d.at(DAY, 9), satisfaction="basically", resolved=False)
    d.rated(cgj, when=d.at(DAY, 9), satisfaction="unsatisfied", resolved=False)
    d.rated(cgj, when=d.at(DAY, 9), satisfaction="satisfied", resolved=True)
    return {"cgj": cgj, "zjj": zjj, "now": d.at(DAY, 20)}


@pytest.fixture
def later(known_day):
    return d.at(DAY + timedelta(days=3), 10)
