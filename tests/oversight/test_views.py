from __future__ import annotations

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from deadlines.models import DeadlinePolicy, DurationUnit
from tests.oversight import drive as d

pytestmark = pytest.mark.django_db

PAGES = ["oversight:dashboard", "oversight:cases", "oversight:kpis", "oversight:digest", "oversight:cases_csv"]


@pytest.fixture
def overdue_city(departments):
    """Open deadlines across departments: some overdue (one escalated), some near."""
    cgj, zjj = departments
    d.clock_policies()
    now = timezone.now()
    rows = []
    rows.append(d.open_deadline(cgj, "reply", due=now - timedelta(hours=30)))  # overdue longest: escalated
    for i in range(1, 6):
        rows.append(d.open_deadline(cgj, "reply", due=now - timedelta(hours=10 + i)))
    for i in range(3):
        rows.append(d.open_deadline(zjj, "sign_for", due=now - timedelta(hours=1 + i)))
    rows.append(d.open_deadline(zjj, "reply", due=now + timedelta(hours=5)))
    # The beat's sweep, run now: the first case has reached level 2 (head told), the others level 1 at most.
    d.sweep(now)
    return {"cgj": cgj, "zjj": zjj, "deadlines": rows}


def login(client, username):
    client.force_login(User.objects.get(username=username))


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, city, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("username", ["cgj_staff", "dispatcher"])
def test_staff_and_dispatchers_get_403(client, city, name, username):
    login(client, username)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", [p for p in PAGES if p != "oversight:kpis"])
def test_department_heads_get_403_outside_the_kpi_page(client, city, name):
    login(client, "cgj_head")
    assert client.get(reverse(name)).status_code == 403


def test_department_head_sees_only_own_department_kpis(client, known_day):
    from oversight.services import rollup_refresh
    from tests.oversight.conftest import DAY

    rollup_refresh(first_day=DAY, last_day=DAY)
    login(client, "cgj_head")  # Alice: head of CGJ
    response = client.get(reverse("oversight:kpis"), {"date_from": "2026-03-09", "date_to": "2026-03-09"})
    assert response.status_code == 200
    shown = {r.department_id for r in response.context["ranked"] + response.context["apart"]}
    assert shown == {known_day["cgj"].pk}
    assert response.context["city"].facts["assigned"] == 5  # CGJ's own, not the city's seven
    # Asking for another department's figures is refused, not answered.
    response = client.get(reverse("oversight:kpis"), {"department": known_day["zjj"].pk})
    assert response.status_code == 400
    # Bob, a supervisor, sees both; Charlie, staff of CGJ, sees nothing.
    login(client, "supervisor")
    response = client.get(reverse("oversight:kpis"), {"date_from": "2026-03-09", "date_to": "2026-03-09"})
    assert {r.department_id for r in response.context["ranked"] + response.context["apart"]} == {
        known_day["cgj"].pk,
        known_day["zjj"].pk,
    }
    login(client, "cgj_staff")
    assert client.get(reverse("oversight:kpis")).status_code == 403


@pytest.mark.parametrize("username", ["supervisor", "admin"])
def test_supervisor_and_administrator_see_the_dashboard(client, overdue_city, username):
    login(client, username)
    response = client.get(reverse("oversight:dashboard"))
    assert response.status_code == 200
    ranking = response.context["summary"]
    assert [e["department"].code for e in ranking] == ["CGJ", "ZJJ"]  # ranked by overdue count
    assert response.context["totals"] == {"overdue": 9, "near": 1}
    oldest = response.context["oldest"]
    assert oldest[0].deadline == overdue_city["deadlines"][0]  # the oldest due first
    # Overdue time is counted in working time, so over a weekend or a night two cases may tie.
    assert oldest[0].deadline.due_at < oldest[-1].deadline.due_at
    assert oldest[0].hours_overdue >= oldest[-1].hours_overdue


def test_dashboard_filters_by_department_subtree_and_priority(client, overdue_city):
    login(client, "supervisor")
    response = client.get(reverse("oversight:dashboard"), {"department": overdue_city["zjj"].pk})
    assert response.context["totals"] == {"overdue": 3, "near": 1}
    response = client.get(reverse("oversight:dashboard"), {"priority": "urgent"})
    assert response.context["totals"] == {"overdue": 0, "near": 0}


def test_bad_filter_input_gets_an_error_and_changes_nothing(client, overdue_city):
    login(client, "supervisor")
    response = client.get(reverse("oversight:dashboard"), {"date_from": "2026-03-09", "date_to": "2026-03-01"})
    assert response.status_code == 200
    assert response.context["form"].errors
    response = client.get(reverse("oversight:kpis"), {"date_from": "not-a-date"})
    assert response.status_code == 400
    assert "date_from" in response.context["form"].errors


def test_drill_down_lists_one_department_step_and_shows_escalation_level(client, overdue_city):
    login(client, "supervisor")
    response = client.get(
        reverse("oversight:cases"), {"dept": overdue_city["cgj"].pk, "step": "reply", "state": "overdue"}
    )
    lines = response.context["lines"]
    assert len(lines) == 6
    levels = {line.deadline.submission_id: line.deadline.escalation_level for line in lines}
    assert levels[overdue_city["deadlines"][0].submission_id] == 2
    case = client.get(reverse("oversight:case", args=[overdue_city["deadlines"][0].submission_id]))
    assert case.status_code == 200
    assert case.context["case"].escalation_level == 2


class _FilterForm(HTMLParser):
    """The names and values the filter form of a page sends (hidden inputs included)."""

    def __init__(self):
        super().__init__()
        self.inside, self.fields, self.clear = False, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "filters" in (attrs.get("class") or ""):
            self.inside = True
        elif self.inside and tag == "input" and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs["value"]
        elif self.inside and tag == "a":
            self.clear = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def _filter_form(response) -> _FilterForm:
    parser = _FilterForm()
    parser.feed(response.content.decode())
    return parser


def test_filtering_a_drill_down_again_keeps_its_department_and_step(client, overdue_city):
    cgj, zjj = overdue_city["cgj"], overdue_city["zjj"]
    d.open_deadline(cgj, "sign_for", due=timezone.now(), priority="urgent")
    d.open_deadline(zjj, "reply", due=timezone.now() - timedelta(hours=3))
    login(client, "supervisor")
    drill = client.get(reverse("oversight:cases"), {"dept": cgj.pk, "step": "reply", "state": "overdue"})
    form = _filter_form(drill)
    assert form.fields == {"dept": str(cgj.pk), "step": "reply", "state": "overdue"}

    # The supervisor picks a district and sends the form: the list is still CGJ's overdue replies.
    again = client.get(reverse("oversight:cases"), {**form.fields, "district": "", "priority": ""})
    lines = again.context["lines"]
    assert len(lines) == 6
    assert {(line.deadline.department_id, line.deadline.step) for line in lines} == {(cgj.pk, "reply")}
    # Filtering by priority narrows inside the cell: CGJ's only urgent case is a sign-for, so nothing is left.
    narrowed = client.get(reverse("oversight:cases"), {**form.fields, "priority": "urgent"})
    assert narrowed.context["lines"] == []
    # "Clear" drops the filters, not the cell.
    cleared = client.get(_filter_form(narrowed).clear)
    assert len(cleared.context["lines"]) == 6
    assert cleared.context["department"] == cgj


def test_drill_down_ignores_a_step_or_state_it_does_not_know(client, overdue_city):
    login(client, "supervisor")
    response = client.get(reverse("oversight:cases"), {"dept": "x", "step": "nap", "state": "late"})
    assert response.status_code == 200
    assert _filter_form(response).fields == {}
    assert len(response.context["lines"]) == 10


def test_unknown_case_is_404(client, city):
    login(client, "supervisor")
    assert client.get(reverse("oversight:case", args=[999999])).status_code == 404


def test_dashboard_and_case_list_run_a_bounded_number_of_queries(client, overdue_city, django_assert_max_num_queries):
    login(client, "supervisor")
    # Measured 18 (22 before the returns, the urges and the department names were read once each): 12 for the
    # page, +2 for the staff nav (unread badge), +2 for the working calendar (a query per year spanned), +1 for
    # the navigation's counts of waiting work, +1 for the knowledge base's badge.
    with django_assert_max_num_queries(18):
        client.get(reverse("oversight:dashboard"))
    with django_assert_max_num_queries(11):
        client.get(reverse("oversight:cases"))
    # Ten times more cases: the same bound.
    cgj = overdue_city["cgj"]
    now = timezone.now()
    for i in range(60):
        d.open_deadline(cgj, "reply", due=now - timedelta(hours=31 + i))
    # The same 18.
    with django_assert_max_num_queries(18):
        client.get(reverse("oversight:dashboard"))
    with django_assert_max_num_queries(11):
        client.get(reverse("oversight:cases"))


def test_kpi_page_prints_each_formula_next_to_its_figure(client, known_day, django_assert_max_num_queries):
    from oversight.services import rollup_refresh
    from tests.oversight.conftest import DAY

    rollup_refresh(first_day=DAY, last_day=DAY)  # a past day: read from the rollup the workers keep
    login(client, "supervisor")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("oversight:kpis"), {"date_from": "2026-03-09", "date_to": "2026-03-09"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "chart.umd.min.js" in body and 'type="application/json" class="chart-data"' in body
    assert "<script>" not in body  # no inline script: only data blocks and static files
    city = response.context["city"]
    assert city.rates["satisfaction"].numerator == 3
    for rate in city.rates.values():
        figure = f'<div class="figure">{rate.percent}</div>'
        formula = f'<p class="formula">{rate.formula} = {rate.numerator} ÷ {rate.denominator}</p>'
        assert figure + "\n    " + formula in body


def test_time_overdue_uses_the_working_calendar_when_there_is_one(overdue_city, monkeypatch):
    from oversight import selectors

    class EightHourDays:
        def working_seconds_between(self, start, end):
            return (end - start).total_seconds() / 3

    monkeypatch.setattr(selectors.overdue, "work_calendar", EightHourDays)
    now = timezone.now()
    DeadlinePolicy.objects.update(reply_amount=8, reply_unit=DurationUnit.WORKING_HOURS)
    # Signed for two weeks ago with 8 working hours to reply: long overdue, counted in working time.
    deadline = d.open_deadline(overdue_city["cgj"], "reply", due=now - timedelta(days=10))
    line = selectors.case_lines([deadline], now)[0]
    wall = (now - deadline.due_at).total_seconds() / 3600
    assert line.is_working_time and line.hours_overdue == pytest.approx(wall / 3)


def test_kpi_page_fields_show_the_default_period(client, known_day):
    from django.utils import timezone

    login(client, "supervisor")
    response = client.get(reverse("oversight:kpis"))
    today = timezone.localdate()
    html = response.content.decode()
    assert f'value="{(today - timedelta(days=29)).isoformat()}"' in html
    assert f'value="{today.isoformat()}"' in html
