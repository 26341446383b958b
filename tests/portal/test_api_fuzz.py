"""Property-based run of schemathesis against our own OpenAPI schema, as every kind of caller.

Every operation is called with generated data (valid and invalid) by each
role — anonymous, a citizen (tracking number and secret), department staff,
a dispatcher and a supervisor (API tokens) — and no answer may be a server
error or break the schema (status code, content type, headers, body). The
budget is bounded: FUZZ_EXAMPLES per operation and role (small in the test
suite, larger with ``make fuzz``).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
ROLES = ["anonymous", "citizen", "staff", "dispatcher", "supervisor"]
USERNAMES = {"staff": "cgj_staff", "dispatcher": "dispatcher", "supervisor": "supervisor"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db):
    # Calls go through Django's WSGI handler in this process, inside the test's
    # transaction: keep the handler from closing the connection after each
    # call, as Django's own test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_key_for_fuzz(city):
    from open311.services import api_key_create

    return api_key_create(name="fuzz", rate_limit_per_minute=100000)[1]


@pytest.fixture
def caller(city, request):
    """(headers, path parameters) of the role under test: a token, or a citizen's number and secret."""
    from city.models import Category
    from feedback.models import Kind
    from feedback.services import submission_create
    from routing.services import submission_route

    # Cases in the lists: one routed (no district, no deadline yet for some fields), one waiting to be routed.
    data = {"kind": Kind.COMPLAINT, "category": Category.objects.get(code="city.garbage"), "title": "垃圾"}
    routed, _secret, _created = submission_create(data={**data, "text": "东城区垃圾没人清运"})
    submission_route(submission_id=routed.pk)
    case, secret, _created = submission_create(data={**data, "text": "垃圾没人清运"})
    role = request.param
    if role == "anonymous":
        return {}, {}
    if role == "citizen":
        return {"X-Tracking-Secret": secret}, {"tracking_number": case.tracking_number}
    from rest_framework.authtoken.models import Token

    from accounts.models import User

    token, _created = Token.objects.get_or_create(user=User.objects.get(username=USERNAMES[role]))
    return {"Authorization": f"Token {token.key}"}, {}


@pytest.mark.parametrize("caller", ROLES, indirect=True)
def test_no_server_error_and_no_answer_outside_the_schema(api_schema, api_key_for_fuzz, caller):
    from feedback.models import Submission

    headers, path_parameters = caller
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 11
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def call(case):
            if isinstance(case.body, dict) and case.body.get("api_key"):
                # A real key and a real service, so the generated rest of the
                # request reaches validation and, when valid, creates a case.
                case.body["api_key"] = api_key_for_fuzz
                if case.body.get("service_code"):
                    case.body["service_code"] = "city.garbage"
                if "lat" not in case.body and "address_string" not in case.body:
                    case.body["address_string"] = "东城区人民路 1 号"
            for name, value in path_parameters.items():
                if case.path_parameters and name in case.path_parameters:
                    case.path_parameters[name] = value  # the citizen's own case, not a random number
            case.call_and_validate(headers={**(case.headers or {}), **headers}, checks=CHECKS)

        try:
            call()
        except Exception as exc:
            raise AssertionError(f"{operation.label}: {exc}") from exc
    if not headers:
        assert Submission.objects.filter(channel="open311").exists(), "some generated requests were valid"
