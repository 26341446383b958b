"""Rate limits that stop scripts without punishing the people who share their address.

A school, an office or a carrier's NAT puts many citizens behind one address:
one caller's wrong guesses must not lock out another citizen's right secret,
a citizen fixing typos must not use up the submission limit, and a refused
submission keeps what was typed. Behind a reverse proxy the client's address
comes from ``X-Forwarded-For`` only when the proxy is in ``TRUSTED_PROXIES``.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token

from demo.city import DEMO_PASSWORD
from feedback.models import Submission
from tests.feedback.conftest import make_submission

pytestmark = pytest.mark.django_db

SCHOOL = "10.88.0.1"  # one address, many people


@pytest.fixture(autouse=True)
def _empty_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def low_limits(settings):
    settings.MINSHENG = {**settings.MINSHENG, "TRACK_RATE_PER_HOUR": 5, "SUBMIT_RATE_PER_HOUR": 2}


def wrong(secret: str) -> str:
    return secret[:-1] + ("x" if secret[-1] != "x" else "y")


def lookups(number: str, secret: str):
    """The three doors a citizen opens a case with: the lookup form, the private link, the API."""
    return {
        "form": lambda c: c.post("/track/", {"tracking_number": number, "secret": secret}),
        "link": lambda c: c.get(f"/t/{number}/{secret}/"),
        "api": lambda c: c.get(f"/api/v1/submissions/{number}/", HTTP_X_TRACKING_SECRET=secret),
    }


def opened(door: str, response) -> bool:
    if door == "api":
        return response.status_code == 200
    return (
        response.status_code == 302 and response["Location"].startswith("/track/") and "?" not in response["Location"]
    )


@pytest.mark.parametrize("door", ["form", "link", "api"])
def test_a_citizens_right_secret_is_accepted_after_someone_elses_56_wrong_guesses_from_the_same_address(
    city, low_limits, door
):
    mine, my_secret = make_submission()
    other, other_secret = make_submission(title="别人的诉求")
    guesser, citizen = Client(REMOTE_ADDR=SCHOOL), Client(REMOTE_ADDR=SCHOOL)
    for _ in range(56):
        lookups(other.tracking_number, wrong(other_secret))[door](guesser)
    assert lookups(other.tracking_number, wrong(other_secret))[door](guesser).status_code == 429
    assert opened(door, lookups(mine.tracking_number, my_secret)[door](citizen))


@pytest.mark.parametrize("door", ["form", "link", "api"])
def test_guessing_the_secret_of_one_case_is_still_stopped(city, low_limits, door):
    case, secret = make_submission()
    guesser = Client(REMOTE_ADDR=SCHOOL)
    for _ in range(5):
        assert lookups(case.tracking_number, wrong(secret))[door](guesser).status_code in (302, 404)
    blocked = lookups(case.tracking_number, secret)[door](guesser)  # even the right one, once over the limit
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0


def test_a_sweep_over_many_tracking_numbers_from_one_address_is_stopped(city, settings):
    settings.MINSHENG = {**settings.MINSHENG, "TRACK_RATE_PER_HOUR": 5, "TRACK_ADDRESS_RATE_PER_HOUR": 8}
    sweeper = Client(REMOTE_ADDR=SCHOOL)
    codes = [
        sweeper.post("/track/", {"tracking_number": f"QH2026{n:06d}", "secret": "x" * 32}).status_code for n in range(9)
    ]
    assert codes == [404] * 8 + [429]


def test_only_failed_guesses_count(city, low_limits):
    case, secret = make_submission()
    citizen = Client(REMOTE_ADDR=SCHOOL)
    for door, lookup in lookups(case.tracking_number, secret).items():
        for _ in range(10):
            assert opened(door, lookup(citizen))


def test_failed_form_validations_do_not_count_against_the_submission_limit(city, low_limits):
    typed = {
        "kind": "complaint",
        "category": "environment.noise",
        "title": "工地夜间施工噪音扰民",
        "text": "东城区幸福路工地每晚十一点后仍在施工，噪音很大，影响休息。",
        "district": "dongcheng",
        "phone": "13812345678",
    }
    citizen = Client(REMOTE_ADDR=SCHOOL)
    for _ in range(20):  # the probe's citizen fixing typos 20 times
        assert citizen.post("/submit/", {**typed, "phone": "not a phone", "district": ""}).status_code == 400
    assert [citizen.post("/submit/", typed).status_code for _ in range(2)] == [302, 302]
    refused = citizen.post("/submit/", {**typed, "title": "第三条：路灯坏了"})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    page = refused.content.decode()
    assert "第三条：路灯坏了" in page and typed["text"] in page and "提交过多" in page
    assert Submission.objects.count() == 2


def test_failed_validations_do_not_count_against_the_api_submission_limit(city, low_limits):
    api = Client(REMOTE_ADDR=SCHOOL)
    body = {"kind": "complaint", "title": "路灯不亮", "text": "小区门口路灯坏了一周。", "district": "nanhu"}
    body["phone"] = "13800000000"
    for _ in range(10):
        bad = api.post("/api/v1/submissions/", {**body, "district": "nowhere"}, content_type="application/json")
        assert bad.status_code == 400
    codes = [api.post("/api/v1/submissions/", body, content_type="application/json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_token_sign_ins_count_only_failures(city, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "login": "3/minute"},
    }
    system = Client(REMOTE_ADDR=SCHOOL)
    good = {"username": "cgj_staff", "password": DEMO_PASSWORD}
    assert [system.post("/api/v1/auth/token/", good).status_code for _ in range(6)] == [200] * 6
    bad = {"username": "zjj_staff", "password": "wrong"}
    assert [system.post("/api/v1/auth/token/", bad).status_code for _ in range(4)] == [400, 400, 400, 429]


# Trusted proxies -------------------------------------------------------------------------------


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(city, low_limits, settings):
    settings.TRUSTED_PROXIES = []
    case, secret = make_submission()
    for n in range(5):  # a client rotating its own X-Forwarded-For gains nothing
        Client(REMOTE_ADDR=SCHOOL, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").post(
            "/track/", {"tracking_number": case.tracking_number, "secret": wrong(secret)}
        )
    rotated = Client(REMOTE_ADDR=SCHOOL, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert rotated.post("/track/", {"tracking_number": case.tracking_number, "secret": secret}).status_code == 429


def test_behind_a_trusted_proxy_each_client_is_counted_apart(city, low_limits, settings):
    settings.TRUSTED_PROXIES = ["172.28.0.10/32"]
    case, secret = make_submission()
    for _ in range(5):
        Client(REMOTE_ADDR="172.28.0.10", HTTP_X_FORWARDED_FOR="198.51.100.7").post(
            "/track/", {"tracking_number": case.tracking_number, "secret": wrong(secret)}
        )
    # The same client, even writing a fake first hop itself, is still itself: the proxy appended its real address.
    spoofing = Client(REMOTE_ADDR="172.28.0.10", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert spoofing.post("/track/", {"tracking_number": case.tracking_number, "secret": secret}).status_code == 429
    neighbour = Client(REMOTE_ADDR="172.28.0.10", HTTP_X_FORWARDED_FOR="198.51.100.8")
    response = neighbour.post("/track/", {"tracking_number": case.tracking_number, "secret": secret})
    assert response.status_code == 302


def test_api_throttles_and_sign_in_lockouts_use_the_same_client_address(city, settings):
    """DRF's own throttle believes any X-Forwarded-For; django-axes would use its own rule: both use ours."""
    from axes.helpers import get_client_ip_address
    from django.test import RequestFactory

    from portal.throttling import ApiAnonRateThrottle

    spoofed = RequestFactory().get("/", REMOTE_ADDR=SCHOOL, HTTP_X_FORWARDED_FOR="203.0.113.5")
    settings.TRUSTED_PROXIES = []
    assert ApiAnonRateThrottle().get_ident(spoofed) == SCHOOL
    assert get_client_ip_address(spoofed) == SCHOOL
    settings.TRUSTED_PROXIES = [SCHOOL]
    assert ApiAnonRateThrottle().get_ident(spoofed) == "203.0.113.5"
    assert get_client_ip_address(spoofed) == "203.0.113.5"


def test_a_client_sent_x_forwarded_proto_does_not_skip_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["172.28.0.10"]
    from_client = Client(REMOTE_ADDR="198.51.100.7").get("/board/", HTTP_X_FORWARDED_PROTO="https")
    assert from_client.status_code == 301 and from_client["Location"].startswith("https://")
    from_proxy = Client(REMOTE_ADDR="172.28.0.10").get("/board/", HTTP_X_FORWARDED_PROTO="https")
    assert from_proxy.status_code == 200


def test_no_token_is_created_by_a_refused_sign_in(city):
    Client(REMOTE_ADDR=SCHOOL).post("/api/v1/auth/token/", {"username": "cgj_staff", "password": "wrong"})
    assert not Token.objects.exists()
