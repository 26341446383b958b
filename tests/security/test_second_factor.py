"""Every door that takes a password asks a user who has an authenticator for its code.

The doors are found, not listed. Every route of the URLconf without path
parameters is sent a wrong password of a user with an authenticator, as a
form and as JSON, by username and by e-mail: a route that checks it
(Django's ``user_login_failed`` signal names the user) is a password door. A
route added later is found the same way, and the class test then posts the
*right* password alone to every route and asserts that no session or token
it yields reaches a staff page or API. The doors we know must be among those
found, so the discovery cannot quietly find nothing.
"""

from __future__ import annotations

import itertools
import json

import pytest
from django.contrib.auth.signals import user_login_failed
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from rest_framework.authtoken.models import Token

from accounts.models import User
from demo.city import DEMO_PASSWORD
from tests.accounts.authenticator import enable_authenticator, next_code, sign_in_with_code, wrong_code

pytestmark = pytest.mark.django_db

KNOWN_DOORS = {"/accounts/login/", "/admin/login/", "/api/v1/auth/token/"}
STAFF_PAGE = "/oversight/"
STAFF_API = "/api/v1/kpis/"
_addresses = (f"10.77.{i // 250}.{i % 250 + 1}" for i in itertools.count())


def routes_without_parameters(patterns=None, prefix: str = "") -> list[str]:
    """The URL of every route of the URLconf that takes no path parameter."""
    found: list[str] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = entry.pattern
        if pattern.regex.groups or (isinstance(pattern, RoutePattern) and pattern.converters):
            continue
        text = str(pattern) if isinstance(pattern, RoutePattern) else str(pattern).lstrip("^").rstrip("$")
        if any(char in text for char in "()[]*+?\\|{}"):
            continue
        if isinstance(entry, URLResolver):
            found += routes_without_parameters(entry.url_patterns, prefix + text)
        elif isinstance(entry, URLPattern):
            found.append("/" + prefix + text)
    return sorted(set(found))


def client() -> Client:
    return Client(REMOTE_ADDR=next(_addresses))


def post_both_ways(c: Client, url: str, data: dict) -> list:
    return [c.post(url, data), c.post(url, json.dumps(data), content_type="application/json")]


def credentials(user: User, password: str) -> list[dict]:
    """The shapes a sign-in form may take: by username, or by e-mail address."""
    return [{"username": user.username, "password": password}, {"email": user.email, "password": password}]


def password_doors(user: User) -> set[str]:
    checked: set[str] = set()
    current: list[str] = []

    def record(sender, credentials, **kwargs):
        if current and {user.username, user.email} & {v for v in credentials.values() if isinstance(v, str)}:
            checked.add(current[0])

    user_login_failed.connect(record, dispatch_uid="test-password-doors")
    try:
        for url in routes_without_parameters():
            current[:] = [url]
            for data in credentials(user, "not-the-password"):
                post_both_ways(client(), url, data)
    finally:
        user_login_failed.disconnect(dispatch_uid="test-password-doors")
    return checked


def staff_access(c: Client, responses: list, user: User) -> list[str]:
    """What a password-only attempt gave that reaches staff pages or APIs (nothing, if the door held)."""
    gained = []
    if c.get(STAFF_PAGE).status_code == 200:
        gained.append("a session that opens the oversight dashboard")
    if c.get(STAFF_API).status_code == 200:
        gained.append("a session that reads the KPI API")
    for key in Token.objects.filter(user=user).values_list("key", flat=True):
        if Client().get(STAFF_API, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200:
            gained.append("an API token")
    for response in responses:
        if response.get("Content-Type", "").startswith("application/json"):
            token = response.json().get("token") if isinstance(response.json(), dict) else None
            if token and Client().get(STAFF_API, HTTP_AUTHORIZATION=f"Token {token}").status_code == 200:
                gained.append("an API token in the answer")
    return gained


@pytest.fixture
def supervisor(city):
    user = User.objects.get(username="supervisor")
    user.is_staff = True  # so the admin door would let them in, if it let anyone in without the code
    user.save(update_fields=["is_staff"])
    return user, enable_authenticator(user)


def test_the_password_doors_are_found_in_the_urlconf(supervisor):
    assert KNOWN_DOORS <= password_doors(supervisor[0])


def test_the_password_alone_opens_nothing_at_any_route(supervisor):
    user, _device = supervisor
    assert client().get(STAFF_PAGE).status_code != 200  # the check below means something
    opened = {}
    for url in routes_without_parameters():
        for data in credentials(user, DEMO_PASSWORD):
            c = client()
            gained = staff_access(c, post_both_ways(c, url, data), user)
            if gained:
                opened[url] = gained
    assert opened == {}


def test_a_new_door_that_forgets_the_code_is_found_and_gives_no_session(supervisor, settings):
    user, _device = supervisor
    settings.ROOT_URLCONF = "tests.security.urls_second_factor_new_door"
    assert "/quick-login/" in password_doors(user)
    c = client()
    response = c.post("/quick-login/", {"username": "supervisor", "password": DEMO_PASSWORD})
    assert response.status_code == 200  # the careless view did sign in...
    assert staff_access(c, [response], user) == []  # ...but the session is signed out before any staff page


def test_each_door_opens_with_the_code(supervisor):
    """One user per door: each code is accepted once, and a new one comes only every 30 seconds."""
    _user, device = supervisor
    c = client()
    sign_in_with_code(c, "supervisor", DEMO_PASSWORD, device)
    assert c.get(STAFF_PAGE).status_code == 200

    device = enable_authenticator(User.objects.get(username="admin"))
    c = client()
    data = {"username": "admin", "password": DEMO_PASSWORD, "otp_token": next_code(device), "next": "/admin/"}
    assert c.post("/admin/login/?next=/admin/", data).status_code == 302
    assert c.get("/admin/").status_code == 200 and c.get(STAFF_PAGE).status_code == 200

    device = enable_authenticator(User.objects.get(username="dispatcher"))
    response = client().post(
        "/api/v1/auth/token/", {"username": "dispatcher", "password": DEMO_PASSWORD, "otp_code": next_code(device)}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert Client().get("/api/v1/staff/cases/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_the_token_api_refuses_the_password_alone_in_the_api_error_shape(supervisor):
    _user, device = supervisor
    response = client().post("/api/v1/auth/token/", {"username": "supervisor", "password": DEMO_PASSWORD})
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["code"] == "invalid"
    assert list(body["errors"]) == ["otp_code"]
    wrong = {"username": "supervisor", "password": DEMO_PASSWORD, "otp_code": wrong_code(device)}
    assert client().post("/api/v1/auth/token/", wrong).json()["errors"] == {"otp_code": ["验证码错误或已过期。"]}


def test_wrong_codes_count_across_every_door_and_then_lock_them_all(supervisor, settings):
    user, device = supervisor
    wrong = wrong_code(device)
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(2):  # two at the staff sign-in
        c = client()
        c.post("/accounts/login/", {"username": "supervisor", "password": DEMO_PASSWORD})
        c.post("/accounts/login/verify/", {"code": wrong})
    for _ in range(2):  # two at the admin
        client().post("/admin/login/", {"username": "supervisor", "password": DEMO_PASSWORD, "otp_token": wrong})
    api = {"username": "supervisor", "password": DEMO_PASSWORD, "otp_code": wrong}
    fifth = client().post("/api/v1/auth/token/", api)
    assert fifth.status_code == 403 and fifth.json()["code"] == "second_factor_locked"  # the fifth locks
    device.refresh_from_db()
    assert device.throttling_failure_count == 5

    right = next_code(device)
    locked = client().post("/api/v1/auth/token/", {**api, "otp_code": right})
    assert locked.status_code == 403 and locked.json()["code"] == "second_factor_locked"
    c = client()
    c.post("/admin/login/", {"username": "supervisor", "password": DEMO_PASSWORD, "otp_token": right})
    assert c.get("/admin/").status_code == 302
    c = client()
    c.post("/accounts/login/", {"username": "supervisor", "password": DEMO_PASSWORD})
    c.post("/accounts/login/verify/", {"code": right})
    assert c.get(STAFF_PAGE).status_code == 302


def test_an_unverified_session_of_a_user_with_an_authenticator_is_no_session(supervisor):
    """However a session came about (here ``force_login``, i.e. ``login()`` with no code), it is signed out."""
    user, _device = supervisor
    c = client()
    c.force_login(user)
    assert c.get(STAFF_PAGE).status_code == 302
    assert c.get("/admin/").status_code == 302
    assert "_auth_user_id" not in c.session


def test_users_without_an_authenticator_keep_signing_in_with_the_password(city):
    c = client()
    assert c.post("/admin/login/", {"username": "admin", "password": DEMO_PASSWORD}).status_code == 302
    assert c.get("/admin/").status_code == 200
    token = client().post("/api/v1/auth/token/", {"username": "admin", "password": DEMO_PASSWORD}).json()["token"]
    assert Client().get(STAFF_API, HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
