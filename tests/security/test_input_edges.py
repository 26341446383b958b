"""Input edges are 400s, never 500s: every query parameter of every list route, and the request-size cap.

The list routes and their parameters come from the OpenAPI schema (every GET
without a path parameter: REST and Open311), so a new filter, list or
parameter is covered without editing this test. Each parameter gets the bad
values of its kind — date-times with impossible offsets or years, numbers
that are NaN, infinite or huge, ``null`` — and must answer 400 in the
documented error shape (``ApiError`` for ``/api/``, Open311's list of
``{code, description}``). Free-text parameters may answer 200, never 5xx.
"""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

BAD_DATETIMES = [
    "2026-01-01T00:00:00-19:25",
    "2026-01-01T00:00:00+15:59",
    "2026-01-01T00:00:00+99:99",
    "2026-13-45T00:00:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "99999-01-01",
    "null",
    "NaN",
]
BAD_NUMBERS = ["NaN", "Infinity", "-inf", "1e999999", "99999999999999999999", "-99999999999999999999", "null", "abc"]
BAD_PAGE_SIZES = ["null", "0", "-1", "NaN", "1e3", "1.5", "abc", "２０"]  # too big is capped at 200, as documented
BAD_PAGES = ["null", "0", "-1", "NaN", "abc", "99999999999999999999"]
ODD_TEXT = ["null", "'", "%", "\\", "\u202e", "x" * 3000]


def list_parameters() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(path, parameter, kind, enum values) for every query parameter of every list GET in the schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None or "{" in path.replace("{fmt}", ""):
            continue
        url = path.replace("{fmt}", "json")
        for parameter in get.get("parameters", []):
            if parameter.get("in") != "query":
                continue
            name, spec = parameter["name"], parameter.get("schema", {})
            if spec.get("type") == "array":
                spec = spec.get("items", {})
            if spec.get("format") in ("date-time", "date") or name.endswith(("_date", "_after", "_before")):
                kind = "datetime"
            elif name == "page_size":
                kind = "page_size"
            elif name == "page":
                kind = "page"
            elif name == "ordering":
                kind = "ordering"
            elif spec.get("enum"):
                kind = "enum"
            elif spec.get("type") in ("integer", "number"):
                kind = "number"
            else:
                kind = "text"
            found.append((url, name, kind, tuple(str(v) for v in spec.get("enum") or ())))
    return found


PARAMETERS = list_parameters()
BAD_VALUES = {
    "datetime": BAD_DATETIMES,
    "number": BAD_NUMBERS,
    "page_size": BAD_PAGE_SIZES,
    "page": BAD_PAGES,
    "ordering": ["bogus", "-bogus", "id,bogus", ",", "null"],
    "enum": ["bogus", "null"],
    "text": ODD_TEXT,
}


@pytest.fixture(scope="module")
def supervisor(django_db_setup, django_db_blocker):
    """A supervisor's client on the demo city (every list answers them), rolled back at the end."""
    from accounts.models import User
    from demo.city import seed_demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed_demo()
            client = Client()
            client.force_login(User.objects.get(username="supervisor"))
            yield client
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_schema_lists_the_filters_of_the_issue():
    names = {(url, name) for url, name, _kind, _enum in PARAMETERS}
    for wanted in [
        ("/api/v1/escalations/", "created_after"),
        ("/api/v1/routing-decisions/", "created_after"),
        ("/api/v1/surge-alerts/", "raised_after"),
        ("/open311/v2/requests.json", "start_date"),
        ("/api/v1/escalations/", "page_size"),
        ("/api/v1/escalations/", "ordering"),
    ]:
        assert wanted in names, wanted


def _error_shape(url: str, response) -> bool:
    body = response.json()
    if url.startswith("/open311/"):
        return isinstance(body, list) and body and set(body[0]) == {"code", "description"}
    return set(body) == {"detail", "code", "errors"} and isinstance(body["errors"], dict)


@pytest.mark.parametrize(("url", "name", "kind", "enum"), PARAMETERS, ids=[f"{p[0]}?{p[1]}" for p in PARAMETERS])
def test_every_bad_query_value_is_a_400_in_the_error_shape(supervisor, url, name, kind, enum):
    problems = []
    for value in BAD_VALUES[kind]:
        if value in enum:
            continue
        with transaction.atomic():
            response = supervisor.get(url, {name: value}, headers={"accept-language": "en"})
            transaction.set_rollback(True)
        where = f"GET {url}?{name}={value[:40]!r}: {response.status_code}"
        if response.status_code >= 500:
            problems.append(f"{where} (server error)")
        elif kind == "text":
            continue  # any text may be a valid filter value
        elif response.status_code != 400:
            problems.append(f"{where}, expected 400")
        elif not _error_shape(url, response):
            problems.append(f"{where}, not in the documented error shape: {response.content[:200]!r}")
    assert not problems, "\n".join(problems)


def test_a_bad_staff_case_filter_is_a_400_in_the_api_error_shape(supervisor):
    response = supervisor.get("/api/v1/staff/cases/", {"status": "bogus", "due": "never"})
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and set(body["errors"]) == {"status", "due"}


def test_an_offset_postgresql_refuses_is_a_400_for_anonymous_open311():
    response = Client().get("/open311/v2/requests.json", {"start_date": "2026-01-01T00:00:00-19:25"})
    assert response.status_code == 400
    assert "-14:00" in response.json()[0]["description"] or "14:00" in response.json()[0]["description"]


# ---- pages: the same edges, never a 500 ------------------------------------------------------------

PAGE_EDGES = [
    dict.fromkeys(["date_from", "date_to", "since", "until", "start_date", "end_date"], "0001-01-01"),
    dict.fromkeys(["date_from", "date_to", "since", "until", "start_date", "end_date"], "9999-12-31"),
    dict.fromkeys(["created_after", "raised_after", "due_before", "at"], "2026-01-01T00:00:00-19:25"),
    dict.fromkeys(["page", "dept", "department", "days", "level", "district", "category", "n"], "99999999999999999999"),
    dict.fromkeys(["page", "dept", "days", "level", "rank", "sort", "status", "state", "step", "tab"], "NaN"),
]


def page_urls() -> list[str]:
    """Every page route of the URLconf that takes no path parameter (the API and Open311 are covered above)."""
    from django.urls import reverse

    from tests.security.test_authorization_matrix import all_routes

    urls = []
    for route in all_routes():
        pattern = route.pattern
        if route.is_admin or "<" in pattern or "(?P" in pattern or pattern.startswith(("api/", "open311/")):
            continue
        if route.key.startswith("<unnamed>") or route.key in ("accounts:logout", "set_language"):
            continue
        urls.append(reverse(route.key))
    return urls


def test_pages_answer_bad_dates_and_numbers_without_a_server_error(supervisor):
    urls = page_urls()
    assert "/oversight/" in urls and "/scoreboard/" in urls
    errors = []
    for url in urls:
        for params in PAGE_EDGES:
            with transaction.atomic():
                response = supervisor.get(url, params)
                transaction.set_rollback(True)
            if response.status_code >= 500:
                errors.append(f"GET {url} {params}: {response.status_code}")
    assert not errors, "\n".join(errors)


# ---- the request-size cap -------------------------------------------------------------------------


class ExplodingInput:
    """A body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.parametrize(
    ("path", "shape"),
    [("/submit/", "text"), ("/api/v1/submissions/", "api"), ("/open311/v2/requests.json", "open311")],
)
def test_a_body_over_the_cap_is_refused_with_413_without_being_read(city, path, shape, settings):
    from django.test import RequestFactory

    from portal.request_limits import RequestSizeLimitMiddleware

    five_times_fifty_mb = 5 * 50 * 2**20
    assert five_times_fifty_mb > settings.MAX_REQUEST_BYTES
    request = RequestFactory().post(path, content_type="multipart/form-data; boundary=x")
    request.META["CONTENT_LENGTH"] = str(five_times_fifty_mb)
    request.META["wsgi.input"] = ExplodingInput()
    request._stream = ExplodingInput()
    response = RequestSizeLimitMiddleware(lambda r: pytest.fail("the view ran"))(request)
    assert response.status_code == 413
    body = json.loads(response.content) if shape != "text" else response.content.decode()
    if shape == "api":
        assert body["code"] == "request_too_large"
    elif shape == "open311":
        assert body[0]["code"] == 413


def test_the_cap_is_in_the_middleware_chain_before_the_body_is_read(client, settings):
    """Through the whole stack: the client says 250 MB, sends nothing; the answer is 413 in Chinese."""
    response = client.generic(
        "POST", "/submit/", b"", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(5 * 50 * 2**20)
    )
    assert response.status_code == 413
    assert "请求" in response.content.decode()
    assert settings.MIDDLEWARE.index("portal.request_limits.RequestSizeLimitMiddleware") < settings.MIDDLEWARE.index(
        "django.middleware.csrf.CsrfViewMiddleware"
    )
