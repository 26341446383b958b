"""Nothing personal in public: every anonymous GET route, in every format, shows no contact or identity data.

The routes come from the URLconf through the authorization matrix's
``all_routes`` and ``probes_for`` (a route the matrix cannot build a URL for
fails there), so a route added later is covered without editing this test.
Open311 answers are also asked in XML (every ``.json`` URL is asked as
``.xml`` too).

The world is the matrix's, plus two cases posted through Open311 by
citizens whose texts hold an ID-card number, an e-mail address, a third
party's phone number and a flat-level address: one consented to publication
and was answered (it is the board's and Open311's published case), the other
did not consent and must not appear anywhere.
"""

from __future__ import annotations

import tempfile

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings

from tests.security.test_authorization_matrix import all_routes, ask, build_world, probes_for

pytestmark = pytest.mark.django_db

ID_CARD = "110101199003071234"
EMAIL = "neighbour.leak@example.org"
THIRD_PARTY_PHONE = "13698765432"
FLAT_ADDRESS = "东城区人民路88号3单元502室"
FLAT_PART = "3单元502室"
EXACT_LATITUDE = "30.123456"
CITIZEN = {"first_name": "Zhao", "last_name": "Liuliu", "phone": "13511112222", "email": "zhao.citizen@example.net"}

SECRETS = [ID_CARD, EMAIL, THIRD_PARTY_PHONE, FLAT_ADDRESS, FLAT_PART, EXACT_LATITUDE, *CITIZEN.values()]
DESCRIPTION = (
    f"楼上邻居（身份证 {ID_CARD}，电话 {THIRD_PARTY_PHONE}，邮箱 {EMAIL}）漏水，我家在 {FLAT_ADDRESS}，请尽快处理"
)
REPLY = f"已联系 {THIRD_PARTY_PHONE} 的业主（{EMAIL}，证件 {ID_CARD}），{FLAT_ADDRESS} 漏水已修复。"


def _post(client: Client, api_key: str, *, consent: bool) -> str:
    data = {
        "api_key": api_key,
        "service_code": "city.garbage",
        "lat": EXACT_LATITUDE,
        "long": "120.654321",
        "address_string": FLAT_ADDRESS,
        "description": DESCRIPTION,
        **CITIZEN,
    }
    if consent:
        data["may_publish"] = "true"
    response = client.post("/open311/v2/requests.json", data)
    assert response.status_code == 200, response.content
    return response.json()[0]["service_request_id"]


def build_public_world():
    from accounts.models import User
    from casework.services import assignment_sign_for, case_reply
    from feedback.models import Disposition, Submission
    from open311.services import api_key_create
    from routing.services import submission_route

    w = build_world()
    _key, raw_key = api_key_create(name="public outputs")
    client = Client()
    published = Submission.objects.get(tracking_number=_post(client, raw_key, consent=True))
    private = Submission.objects.get(tracking_number=_post(client, raw_key, consent=False))
    submission_route(submission_id=published.pk)
    published.refresh_from_db()
    staff = User.objects.filter(memberships__department=published.lead_department).first()
    assignment_sign_for(submission_id=published.pk, actor=staff)
    case_reply(submission_id=published.pk, actor=staff, disposition=Disposition.RESOLVED, text=REPLY)
    published.refresh_from_db()
    w.published = w.open311 = published
    w.private_open311 = private
    return w


@pytest.fixture(scope="module")
def public_world(django_db_setup, django_db_blocker):
    media = tempfile.TemporaryDirectory()
    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "public-outputs"}}
    with override_settings(MEDIA_ROOT=media.name, CACHES=caches), django_db_blocker.unblock():
        cache.clear()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_public_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
    media.cleanup()


def anonymous_get_probes(w) -> list:
    probes = []
    for route in all_routes():
        if route.is_admin:
            continue  # the admin answers anonymous callers with its sign-in page only
        for probe in probes_for(route, w) or []:
            if probe.method != "GET" or probe.by_token:
                continue
            probes.append(probe)
            if probe.url.endswith(".json"):
                probes.append(type(probe)(f"{probe.key}#xml", "GET", probe.url.removesuffix(".json") + ".xml"))
    return probes


def test_no_anonymous_answer_shows_contact_or_identity_data(public_world):
    w = public_world
    probes = anonymous_get_probes(w)
    assert len(probes) > 20
    leaks, seen = [], {}
    for probe in probes:
        response = ask(Client(), probe)
        body = response.body.decode(errors="replace")
        seen[probe.key] = body
        for secret in [*SECRETS, w.private_open311.tracking_number]:
            if secret in body:
                leaks.append(f"GET {probe.url} [{probe.key}] {response.status_code} shows {secret!r}")
    assert not leaks, "Personal data in public answers:\n" + "\n".join(leaks)
    # The published case is there, masked, so the absence above means something.
    number = w.published.tracking_number
    for key in ("feedback:board", "feedback:board_detail", "open311:requests", "open311:request#xml"):
        assert number in seen[key] or "漏水已修复" in seen[key], key
    assert "东城区人民路" in seen["open311:request"] and "30.123," in seen["open311:request"]


def test_every_public_route_is_probed(public_world):
    """A non-admin route the walk cannot build a URL for is reported, not skipped."""
    missing = [r.key for r in all_routes() if not r.is_admin and not probes_for(r, public_world)]
    assert not missing
