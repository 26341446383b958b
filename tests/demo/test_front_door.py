"""The front door (public home page): the two actions, a search over the board, and the city this week."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _published_reply(*, text: str):
    """A citizen's case, published with consent, answered by the city management bureau (through the services)."""
    from accounts.models import User
    from casework.services import assignment_sign_for, case_reply
    from casework.triage import case_dispatch
    from city.models import Category, Department
    from feedback.services import submission_create
    from routing.services import submission_route

    submission, _secret, _ = submission_create(
        data={
            "kind": "complaint",
            "title": "红星路垃圾无人清运",
            "text": text,
            "category": Category.objects.get(code="city.garbage"),
            "name": "王小明",
            "phone": "13900001111",
            "may_publish": True,
        }
    )
    routed = submission_route(submission_id=submission.pk)
    staff = User.objects.get(username="cgj_staff")
    if routed.status == "triage" or routed.lead_department.code != "CGJ":
        case_dispatch(
            submission_id=submission.pk,
            actor=User.objects.get(username="dispatcher"),
            department_id=Department.objects.get(code="CGJ").pk,
        )
    assignment_sign_for(submission_id=submission.pk, actor=staff)
    case_reply(submission_id=submission.pk, actor=staff, disposition="resolved", text="已安排清运，并加强巡查。")
    return submission


def test_front_door_offers_both_actions_and_a_board_search(city, client):
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="/submit/"' in body and 'href="/track/"' in body
    assert 'action="/board/"' in body and 'name="q"' in body
    # No consultations exist yet: no section for them, not an empty one.
    assert 'id="consultations"' not in body and response.context["door"].consultations == []


def test_front_door_of_a_quiet_week_shows_zeros_not_errors(city, client):
    door = client.get("/").context["door"]
    assert (door.received, door.answered, door.on_time.percent, door.satisfaction.percent) == (0, 0, "—", "—")
    assert door.last_day == timezone.localdate() and (door.last_day - door.first_day).days == 6


def test_latest_replies_are_the_boards_masked_entries_and_count_in_this_weeks_topics(city, client):
    submission = _published_reply(text="红星路12号门口垃圾堆了一周，我的电话13900001111，请联系。")
    response = client.get("/")
    body = response.content.decode()
    door = response.context["door"]
    assert [e.submission.pk for e in door.replies] == [submission.pk]
    assert "已安排清运" in body
    assert "13900001111" not in body and "王小明" not in body
    # The citizen chose a category but no district: one topic, no place.
    assert [(t["category"].code, t["count"]) for t in door.topics] == [("city", 1)]
    assert door.places == []
    assert (door.received, door.answered) == (1, 1)


def test_front_door_speaks_english(city, client):
    client.cookies["django_language"] = "en"
    body = client.get("/", headers={"accept-language": "en"}).content.decode()
    assert "This week in Qinghe" in body and "Latest replies" in body


def test_front_door_reads_a_bounded_number_of_queries(city, client, django_assert_max_num_queries):
    for _ in range(3):
        _published_reply(text="垃圾清运不及时。")
    with django_assert_max_num_queries(25):
        client.get("/")


def test_a_reopened_cases_new_reply_shows_no_rating_until_the_citizen_rates_it(city, client):
    from accounts.models import User
    from casework.services import case_reply
    from feedback.services import case_reopen, rating_submit

    submission = _published_reply(text="垃圾清运不及时。")
    rating_submit(submission_id=submission.pk, satisfaction="unsatisfied", is_resolved=False)
    case_reopen(submission_id=submission.pk, reason="垃圾还在。")
    staff = User.objects.get(username="cgj_staff")
    case_reply(submission_id=submission.pk, actor=staff, disposition="resolved", text="已再次清运。")
    (entry,) = client.get("/").context["door"].replies
    assert entry.replies[-1][1] == "已再次清运。" and entry.rating is None


def _without_csrf(response) -> str:
    """The page without its CSRF token (masked afresh on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.fixture
def public_cache_on(settings):
    """As in production (the suite turns the public cache off); each test starts with an empty cache."""
    from django.core.cache import cache

    settings.MINSHENG = {**settings.MINSHENG, "PUBLIC_CACHE_SECONDS": 60}
    cache.clear()
    yield
    cache.clear()


def test_the_week_s_figures_are_computed_once_a_minute_not_on_every_visit(
    city, client, public_cache_on, django_assert_max_num_queries
):
    from django.core.cache import cache

    first_case = _published_reply(text="垃圾清运不及时。")
    first = client.get("/")
    # Measured: 4 (the latest replies and their replies and ratings, the open consultations); 22 uncached.
    with django_assert_max_num_queries(4):
        second = client.get("/")
    assert _without_csrf(second) == _without_csrf(first)
    assert (second.context["door"].received, second.context["door"].answered) == (1, 1)
    # A case replied to after the first visit is among the latest replies at once (read on every visit) and
    # counts in the figures once the minute is over (the entry expires; cleared here).
    second_case = _published_reply(text="路灯不亮。")
    door = client.get("/").context["door"]
    assert [e.submission.pk for e in door.replies] == [second_case.pk, first_case.pk]
    assert door.received == 1
    cache.clear()
    door = client.get("/").context["door"]
    assert (door.received, door.answered) == (2, 2)


def test_no_case_and_no_contact_detail_is_put_in_the_cache(city, client, public_cache_on):
    """Only figures, categories and districts are kept: a case's row holds the citizen's contact details."""
    import pickle

    from django.core.cache import cache

    from portal.front_door import week_period
    from portal.public_cache import public_cache_key

    _published_reply(text="垃圾清运不及时。")
    client.get("/")
    client.cookies["django_language"] = "en"
    client.get("/")
    first_day, _last_day = week_period()
    for language in ("zh-hans", "en"):
        value = cache.get(public_cache_key("front-door-figures", language, first_day.isoformat()))
        assert set(value) == {"city", "topics", "places"}, language
        kept = {type(v).__name__ for row in value["topics"] + value["places"] for v in row.values()}
        assert kept <= {"Category", "District", "int"}, kept
        blob = pickle.dumps(value)
        for private in (b"13900001111", "王小明".encode(), "垃圾清运不及时".encode()):
            assert private not in blob


def test_the_cached_front_door_speaks_each_visitor_s_language(city, client, public_cache_on):
    from city.models import Category

    _published_reply(text="垃圾清运不及时。")
    city_management = Category.objects.get(code="city")
    chinese = _without_csrf(client.get("/"))
    client.cookies["django_language"] = "en"
    english = _without_csrf(client.get("/"))
    assert city_management.name_zh in chinese and "This week in Qinghe" not in chinese
    assert city_management.name_en in english and "This week in Qinghe" in english
    client.cookies["django_language"] = "zh-hans"
    assert _without_csrf(client.get("/")) == chinese
