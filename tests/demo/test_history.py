"""The seeded history is live data: it passes the invariants the portal promises for any case.

One small deterministic slice (a week and a half, plus the gas-smell surge) is
played once for the module through the real services; each test reads it.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from demo.history import history_seed
from demo.plan import TOKEN_PREFIX, plan_history

# The history ends now, so that the pages (which read the real clock) show it; it is the same
# history whatever the day, relative to its last day.
NOW = timezone.now().replace(second=0, microsecond=0)
DAYS, PER_DAY, SEED = 8, 5, 7


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    """The slice, seeded once inside a transaction that is rolled back after the module."""
    from demo.city import seed_demo
    from routing import registry

    with django_db_blocker.unblock(), transaction.atomic():
        registry.reset()
        seed_demo()
        result = history_seed(days=DAYS, per_day=PER_DAY, seed=SEED, now=NOW)
        yield result
        transaction.set_rollback(True)


@pytest.fixture
def cases(history, db):
    from feedback.models import Submission

    return Submission.objects.filter(client_token__startswith=TOKEN_PREFIX) | Submission.objects.filter(
        channel="open311"
    )


def test_same_seed_plans_the_same_history():
    first_day = timezone.make_aware(datetime(2026, 11, 1))
    a = plan_history(seed=3, first_day=first_day, days=5, per_day=6, end=NOW)
    b = plan_history(seed=3, first_day=first_day, days=5, per_day=6, end=NOW)
    assert [(p.at, p.title, p.channel, p.fate) for p in a] == [(p.at, p.title, p.channel, p.fate) for p in b]
    assert a and all(p.at <= NOW for p in a)


def test_the_city_has_phone_only_regulars_with_several_cases_each():
    from demo.plan import PHONE_ONLY_REGULARS
    from feedback.phones import phone_normalize

    plans = plan_history(seed=3, first_day=timezone.make_aware(datetime(2026, 10, 1)), days=30, per_day=12, end=NOW)
    regulars = [p for p in plans if p.phone in PHONE_ONLY_REGULARS]
    assert regulars and all(p.email == "" and not p.is_anonymous for p in regulars)
    by_phone = {phone: sum(p.phone == phone for p in regulars) for phone in PHONE_ONLY_REGULARS}
    assert min(by_phone.values()) >= 2, by_phone  # "my cases" has something to list for each
    assert all(phone_normalize(phone) == phone for phone in PHONE_ONLY_REGULARS)
    assert all(p.phone.startswith("+86") for p in plans if p.phone)  # stored as intake stores them


def test_history_comes_from_every_channel_in_both_languages(history, cases):
    assert history.created and history.cases == cases.count() > 40
    assert set(cases.values_list("channel", flat=True)) == {"web", "api", "open311"}
    assert set(cases.values_list("language", flat=True)) == {"zh-hans", "en"}


def test_history_lives_the_whole_closed_loop(history, cases):
    from feedback.models import CaseEvent

    actions = set(CaseEvent.objects.filter(submission__in=cases).values_list("action", flat=True))
    assert {
        "submit",
        "route",
        "sign_for",
        "reply",
        "rate",
        "return",
        "escalate_warning",
        "escalate_reminder",
    } <= actions
    assert set(cases.values_list("status", flat=True)) >= {"closed", "in_progress"}


def test_every_status_change_follows_the_transition_table(history, cases):
    from feedback.models import CaseEvent, EventKind, Status
    from feedback.workflow import TRANSITIONS

    events = CaseEvent.objects.filter(submission__in=cases, kind=EventKind.TRANSITION).order_by(
        "submission_id", "created_at", "id"
    )
    replayed: dict[int, str] = {}
    for event in events:
        if event.action == "submit":
            assert (event.submission_id not in replayed, event.from_status, event.to_status) == (
                True,
                "",
                Status.SUBMITTED,
            )
        else:
            rule = TRANSITIONS[event.action]
            assert event.from_status == replayed[event.submission_id], event
            assert event.from_status in rule.sources and event.to_status in rule.targets, event
        replayed[event.submission_id] = event.to_status
    assert replayed == dict(cases.values_list("pk", "status"))


def test_each_escalation_level_is_recorded_once(history, cases):
    from deadlines.models import Escalation
    from feedback.models import CaseEvent, EventKind

    escalations = Escalation.objects.filter(submission__in=cases)
    # The portal's promise (constraint escalation_once): one row per case, step, deadline and level.
    levels = Counter(escalations.values_list("submission_id", "step", "deadline_id", "level"))
    assert levels and max(levels.values()) == 1
    events = Counter(
        CaseEvent.objects.filter(submission__in=cases, kind=EventKind.ESCALATION)
        .exclude(action="escalate_manual")
        .values_list("payload__escalation", flat=True)
    )
    assert set(events) == set(escalations.values_list("pk", flat=True)) and max(events.values()) == 1


def test_the_surge_detector_finds_the_planned_surge(history, cases):
    """Depends on the real detector (surges.services.surge_scan): the burst is a dozen reports in two hours."""
    from surges.models import SurgeAlert

    alert = SurgeAlert.objects.order_by("-report_count").first()
    assert alert is not None and alert.report_count >= 5
    assert all("云谷花园" in s.text or "Yungu" in s.text for s in alert.submissions.all())


def test_second_run_changes_nothing(history, cases):
    from feedback.models import CaseEvent

    before = (cases.count(), CaseEvent.objects.count())
    again = history_seed(days=DAYS, per_day=PER_DAY, seed=SEED, now=NOW)
    assert not again.created
    assert (cases.count(), CaseEvent.objects.count()) == before


def test_ratings_have_a_believable_spread(history, cases):
    from feedback.models import Rating

    spread = Counter(Rating.objects.filter(submission__in=cases).values_list("satisfaction", flat=True))
    # How many replies fall inside the slice depends on the working days of the week it ends in
    # (the slice ends now), so the bound is one any week of the calendar meets.
    assert spread["satisfied"] >= spread["basically"] >= 1
    assert sum(spread.values()) >= 5


def test_public_pages_show_no_contact_details(history, cases, client):
    from feedback.selectors import board_queryset

    secrets = set()
    for name, phone, email in cases.values_list("name", "phone", "email"):
        secrets.update(value for value in (name, phone, email) if len(value) >= 2)
    published = list(board_queryset().filter(pk__in=cases).values_list("tracking_number", flat=True))
    assert published, "the slice publishes some replies"
    pages = ["/", "/board/", "/scoreboard/?days=7", "/open311/v2/requests.json"]
    pages += [f"/board/{number}/" for number in published]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        leaked = sorted(s for s in secrets if s in body)
        assert not leaked, (page, leaked)


def test_front_door_figures_equal_the_scoreboards(history, cases, client):
    """The front door and the scoreboard's "last 7 days" read the same selector for the same days."""
    door = client.get("/").context["door"]
    board = client.get("/scoreboard/?days=7").context
    city = board["city"]
    assert door.received == city.facts["received"] > 0
    assert door.answered == city.facts["reply_done"] > 0
    assert door.on_time.percent == city.rates["on_time_reply"].percent != "—"
    assert door.satisfaction.percent == city.rates["satisfaction"].percent != "—"
    assert board["days"] == door.days == 7


def test_history_messages_count_as_delivered_when_they_happened(history, cases):
    """So the first worker does not mail weeks of stale notices."""
    from feedback.models import Notification

    notes = Notification.objects.filter(event__submission__in=cases)
    assert notes.exists() and not notes.filter(sent_at__isnull=True).exists()
    assert all(n.sent_at == n.event.created_at for n in notes.select_related("event")[:50])


def test_every_demo_case_has_a_map_pin_inside_its_own_district(history, cases):
    from maps import selectors

    selectors.boundaries_forget()
    located = [(c.district_id, selectors.district_id_at(float(c.latitude), float(c.longitude))) for c in cases]
    assert len(located) == cases.count() > 0
    assert all(district == found for district, found in located if district is not None)
    selectors.boundaries_forget()
