"""Who may open what: every URL pattern, asked by every kind of user, checked against one table.

The routes come from ``get_resolver()``, so a new route without an entry in
``EXPECTED`` (or a rule such as the admin one) fails the test. Each route is
asked once per actor with a GET, or for action endpoints with a POST of empty
or invalid data: outsiders must be refused (404/403/401/login) before any
validation, insiders may get 400 or a redirect. Every request runs in a
savepoint that is rolled back, so all actors see the same world.

When the table and the code disagree the failure prints each mismatch and the
observed row, ready to paste once the new answer is judged right.
"""

from __future__ import annotations

import copy
import io
import re
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PdfReadError

# The world is module-scoped; the marker makes pytest-django create the test database before it.
pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "citizen", "owner", "colleague", "outsider", "dispatcher", "supervisor", "admin")
USERNAMES = {
    "owner": "cgj_staff",  # staff of the case's lead department (Alice)
    "colleague": "cgj_head",  # head of the same department (Bob)
    "outsider": "zjj_staff",  # staff of another department (Charlie: no access)
    "dispatcher": "dispatcher",
    "supervisor": "supervisor",
    "admin": "admin",
}
SECRET = "s3cret"  # tests.factories.make_case hashes this secret
CONTACT_PHONE = "13912345678"
CONTACT_EMAIL = "citizen.authz@example.com"
# The published case's citizen: on the public board and Open311, but never by name or contact.
PUBLISHED_CONTACT = ("王小明", "13700001111", "published.authz@example.com")

# Answers that are not a bare status code.
LOGIN = "login"  # 302 to the staff sign-in page
ADMIN_LOGIN = "admin-login"  # 302 to the admin's sign-in page
TO_TRACK = "to-track"  # 302 to the citizen's case page /track/<number>/
TO_LOOKUP = "to-lookup"  # 302 to the tracking lookup form /track/
LOOKUP = "lookup-form"  # 200, but the lookup form asking for the secret instead of the case
TO_CASE = "to-case"  # 302 back to the staff case page (action refused or done, message shown)
REDIRECT = "redirect"  # any other 302

# Short names for the table only.
L, AL, T, TL, LF, C, R = LOGIN, ADMIN_LOGIN, TO_TRACK, TO_LOOKUP, LOOKUP, TO_CASE, REDIRECT

# fmt: off
EXPECTED: dict[str, tuple] = {
    #                                        anonymous citizen owner colleague outsider dispatcher supervisor admin
    # Public pages and machinery.
    "home":                                  (200, 200, 200, 200, 200, 200, 200, 200),
    "healthz":                               (200, 200, 200, 200, 200, 200, 200, 200),
    "favicon":                               (R,   R,   R,   R,   R,   R,   R,   R),
    "set_language":                          (R,   R,   R,   R,   R,   R,   R,   R),
    "javascript-catalog":                    (200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:login":                        (200, 200, 200, 200, 200, 200, 200, 200),
    "accounts:login_verify":                 (L,   L,   L,   L,   L,   L,   L,   L),  # only mid-sign-in
    "accounts:logout":                       (R,   R,   R,   R,   R,   R,   R,   R),
    "accounts:security":                     (L,   L,   200, 200, 200, 200, 200, 200),
    # Casework: staff see their departments' cases, outsiders get 404 (never 403) for a case.
    "casework:inbox":                        (L,   L,   200, 200, 200, 200, 200, 200),
    "casework:home":                         (L,   L,   R,   R,   R,   R,   R,   R),  # to each role's work
    "casework:case":                         (L,   L,   200, 200, 404, 200, 200, 200),
    "casework:case#zjj":                     (L,   L,   404, 404, 200, 200, 200, 200),
    "casework:case#taken-away":              (L,   L,   200, 200, 404, 200, 200, 200),
    "casework:case#missing":                 (L,   L,   404, 404, 404, 404, 404, 404),
    "casework:contact":                      (L,   L,   200, 200, 404, 200, 200, 200),
    "casework:act#reply":                    (L,   L,   400, 400, 404, 400, 400, 400),
    "casework:act#note":                     (L,   L,   400, 400, 404, 400, 400, 400),
    "casework:act#sign_for":                 (L,   L,   C,   C,   404, C,   C,   C),  # refused: already signed for
    "casework:act#get":                      (L,   L,   405, 405, 405, 405, 405, 405),
    "casework:notifications":                (L,   L,   200, 200, 200, 200, 200, 200),  # one's own only
    "casework:notifications_read":           (L,   L,   R,   R,   R,   R,   R,   R),
    # The signed link of an email-working office is a capability: whoever holds it, nobody else.
    "casework:email_case":                   (200, 200, 200, 200, 200, 200, 200, 200),
    "casework:email_case#forged":            (404, 404, 404, 404, 404, 404, 404, 404),
    "casework:email_act":                    (R,   R,   R,   R,   R,   R,   R,   R),
    "casework:email_act#forged":             (404, 404, 404, 404, 404, 404, 404, 404),
    # The dispatch desk (dispatchers and supervisors); approvals (supervisors and department heads).
    "casework:triage":                       (L,   L,   404, 404, 404, 200, 200, 200),
    "casework:returns":                      (L,   L,   404, 404, 404, 200, 200, 200),
    "casework:delivery_retry":               (L,   L,   404, 404, 404, R,   R,   R),
    "casework:supervise":                    (L,   L,   404, 200, 404, 404, 200, 200),
    "casework:extension_decide":             (L,   L,   404, R,   404, 404, R,   R),
    # Records over the API: lists scoped to the user's departments (dispatchers and supervisors: all).
    "api-routing-decisions":                 (401, 401, 200, 200, 200, 200, 200, 200),
    "api-escalations":                       (401, 401, 200, 200, 200, 200, 200, 200),
    "api-kpis":                              (401, 401, 403, 200, 403, 403, 200, 200),  # heads: own only
    "api-surge-alerts":                      (401, 401, 403, 403, 403, 403, 200, 200),
    "api-surge-alert":                       (401, 401, 403, 403, 403, 403, 200, 200),
    # The staff API: 401 without credentials, the same 404 as the pages.
    "api-staff-cases":                       (401, 401, 200, 200, 200, 200, 200, 200),
    "api-staff-cases#token":                 (401, 401, 200, 200, 200, 200, 200, 200),
    "api-staff-case":                        (401, 401, 200, 200, 404, 200, 200, 200),
    "api-staff-case#token":                  (401, 401, 200, 200, 404, 200, 200, 200),
    "api-staff-case#zjj":                    (401, 401, 404, 404, 200, 200, 200, 200),
    "api-staff-case-action":                 (401, 401, 400, 400, 404, 400, 400, 400),
    "api-staff-case-action#token":           (401, 401, 400, 400, 404, 400, 400, 400),
    "api-staff-case-action#sign_for":        (401, 401, 409, 409, 404, 409, 409, 409),
    "api-staff-extension-decide":            (401, 401, 404, 409, 404, 404, 409, 409),  # 409: a reason is needed
    # Citizens: the secret (link, form or header) opens one case; the form posts need the session's token.
    "feedback:submit":                       (200, 200, 200, 200, 200, 200, 200, 200),
    "feedback:submit#post":                  (400, 400, 400, 400, 400, 400, 400, 400),
    "feedback:submit_done":                  (TL,  TL,  TL,  TL,  TL,  TL,  TL,  TL),
    "feedback:track":                        (LF,  LF,  LF,  LF,  LF,  LF,  LF,  LF),
    "feedback:track_detail":                 (LF,  200, LF,  LF,  LF,  LF,  LF,  LF),
    "feedback:track_detail#other":           (LF,  LF,  LF,  LF,  LF,  LF,  LF,  LF),
    "feedback:track_rate":                   (403, T,   403, 403, 403, 403, 403, 403),
    "feedback:track_reopen":                 (403, T,   403, 403, 403, 403, 403, 403),
    "feedback:track_material":               (403, T,   403, 403, 403, 403, 403, 403),
    "feedback:track_urge":                   (403, T,   403, 403, 403, 403, 403, 403),
    "feedback:track_withdraw":               (403, T,   403, 403, 403, 403, 403, 403),
    # "My cases": the contact form is public; the rest needs a code typed back (a session of its own).
    "feedback:my_cases":                     (200, 200, 200, 200, 200, 200, 200, 200),
    "feedback:my_cases_code":                (R,   R,   R,   R,   R,   R,   R,   R),
    "feedback:my_cases_list":                (R,   R,   R,   R,   R,   R,   R,   R),
    "feedback:my_cases_open":                (R,   R,   R,   R,   R,   R,   R,   R),
    "feedback:my_cases_leave":               (R,   R,   R,   R,   R,   R,   R,   R),
    "feedback:track_link":                   (T,   T,   T,   T,   T,   T,   T,   T),
    "feedback:track_link#wrong":             (TL,  TL,  TL,  TL,  TL,  TL,  TL,  TL),
    "feedback:attachment":                   (404, 200, 200, 200, 404, 200, 200, 200),
    "feedback:attachment#taken-away":        (404, 404, 200, 200, 404, 200, 200, 200),
    "feedback:board":                        (200, 200, 200, 200, 200, 200, 200, 200),
    "feedback:board_detail":                 (200, 200, 200, 200, 200, 200, 200, 200),
    "feedback:board_detail#private":         (404, 404, 404, 404, 404, 404, 404, 404),
    "feedback_api:submission_create":        (400, 400, 400, 400, 400, 400, 400, 400),
    "feedback_api:submission_detail":        (200, 200, 200, 200, 200, 200, 200, 200),
    "feedback_api:submission_detail#no-secret": (404, 404, 404, 404, 404, 404, 404, 404),
    # Surges: alerts for supervisors; incidents for dispatchers and supervisors.
    "surges:list":                           (L,   L,   403, 403, 403, 403, 200, 200),
    "surges:detail":                         (L,   L,   404, 404, 404, 404, 200, 200),
    "surges:merge":                          (L,   L,   404, 404, 404, 404, 400, 400),
    "surges:dismiss":                        (L,   L,   404, 404, 404, 404, R,   R),
    "surges:incident":                       (L,   L,   404, 404, 404, 200, 200, 200),
    "surges:propose":                        (L,   L,   404, 404, 404, 200, 200, 200),
    # Open APIs: public by design (catalogue, schema, Open311 shows only published or Open311 cases).
    "api-root":                              (200, 200, 200, 200, 200, 200, 200, 200),
    "api-schema":                            (200, 200, 200, 200, 200, 200, 200, 200),
    "api-docs":                              (200, 200, 200, 200, 200, 200, 200, 200),
    "api-redoc":                             (200, 200, 200, 200, 200, 200, 200, 200),
    "api-token":                             (400, 400, 400, 400, 400, 400, 400, 400),
    "department-list":                       (200, 200, 200, 200, 200, 200, 200, 200),
    "department-detail":                     (200, 200, 200, 200, 200, 200, 200, 200),
    "category-list":                         (200, 200, 200, 200, 200, 200, 200, 200),
    "category-detail":                       (200, 200, 200, 200, 200, 200, 200, 200),
    "open311:discovery":                     (200, 200, 200, 200, 200, 200, 200, 200),
    "open311:services":                      (200, 200, 200, 200, 200, 200, 200, 200),
    "open311:service":                       (200, 200, 200, 200, 200, 200, 200, 200),
    "open311:requests":                      (200, 200, 200, 200, 200, 200, 200, 200),
    "open311:requests#post":                 (403, 403, 403, 403, 403, 403, 403, 403),  # needs an api_key
    "open311:request":                       (200, 200, 200, 200, 200, 200, 200, 200),
    "open311:request#private":               (404, 404, 404, 404, 404, 404, 404, 404),
    "open311:token":                         (200, 200, 200, 200, 200, 200, 200, 200),
    # Oversight: supervisors (heads see their own KPIs); the scoreboard is public.
    "oversight:dashboard":                   (L,   L,   403, 403, 403, 403, 200, 200),
    "oversight:cases":                       (L,   L,   403, 403, 403, 403, 200, 200),
    "oversight:cases_csv":                   (L,   L,   403, 403, 403, 403, 200, 200),
    "oversight:case":                        (L,   L,   403, 403, 403, 403, 200, 200),
    "oversight:kpis":                        (L,   L,   403, 200, 403, 403, 200, 200),
    "oversight:digest":                      (L,   L,   403, 403, 403, 403, 200, 200),
    "oversight:digest_pdf":                  (L,   L,   403, 403, 403, 403, 200, 200),
    "scoreboard":                            (200, 200, 200, 200, 200, 200, 200, 200),
    "deadlines:deadline_board":                (L,   L,   200, 200, 200, 403, 200, 200),  # no departments: 403
    # Maps: the pin's helpers and the board's points are public; hot spots are the supervisors'.
    "maps:hotspots":                         (L,   L,   403, 403, 403, 403, 200, 200),
    "maps:hotspot_cases":                    (L,   L,   403, 403, 403, 403, 200, 200),
    "maps:board":                            (200, 200, 200, 200, 200, 200, 200, 200),
    "api-maps-city":                         (200, 200, 200, 200, 200, 200, 200, 200),
    "api-maps-locate":                       (200, 200, 200, 200, 200, 200, 200, 200),
    "api-maps-nearby":                       (200, 200, 200, 200, 200, 200, 200, 200),
    "api-maps-hotspots":                     (401, 401, 403, 403, 403, 403, 200, 200),
    "api-maps-board":                        (200, 200, 200, 200, 200, 200, 200, 200),
    # Consultations (问计于民): public pages and citizens' doors; the office's pages for its staff and supervisors.
    "consultations:list":                    (200, 200, 200, 200, 200, 200, 200, 200),
    "consultations:attachment":              (200, 200, 200, 200, 200, 200, 200, 200),  # public with its consultation
    "consultations:detail":                  (200, 200, 200, 200, 200, 200, 200, 200),
    "consultations:suggest":                 (400, 400, 400, 400, 400, 400, 400, 400),
    "consultations:suggest_done":            (R,   R,   R,   R,   R,   R,   R,   R),
    "consultations:private_link":            (R,   R,   R,   R,   R,   R,   R,   R),
    "consultations:private_link#wrong":      (R,   R,   R,   R,   R,   R,   R,   R),
    "consultations:mine":                    (404, 404, 404, 404, 404, 404, 404, 404),  # only after the secret
    "consultations:support":                 (400, 400, 400, 400, 400, 400, 400, 400),
    "consultations:support_confirm":         (R,   R,   R,   R,   R,   R,   R,   R),
    "consultations:office":                  (L,   L,   200, 200, 200, 200, 200, 200),  # one's own offices only
    "consultations:new":                     (L,   L,   200, 200, 200, 404, 200, 200),
    "consultations:manage":                  (L,   L,   200, 200, 404, 404, 200, 200),
    "consultations:close":                   (L,   L,   R,   R,   404, 404, R,   R),
    "consultations:confirm_groups":          (L,   L,   R,   R,   404, 404, R,   R),
    "consultations:moderate":                (L,   L,   400, 400, 404, 404, 400, 400),
    "consultations:restore":                 (L,   L,   409, 409, 404, 404, 409, 409),  # it is published
    "consultations:regroup":                 (L,   L,   409, 409, 404, 404, 409, 409),  # grouping confirmed
    "consultations:answer":                  (L,   L,   400, 400, 404, 404, 400, 400),
    "consultations:progress":                (L,   L,   400, 400, 404, 404, 400, 400),
    "consultations:void_support":            (L,   L,   400, 400, 404, 404, 400, 400),
    "api-consultations":                     (200, 200, 200, 200, 200, 200, 200, 200),
    "api-consultations#post":                (401, 401, 400, 400, 400, 400, 400, 400),
    "api-consultation":                      (200, 200, 200, 200, 200, 200, 200, 200),
    "api-consultation-themes":               (200, 200, 200, 200, 200, 200, 200, 200),
    "api-consultation-suggestions":          (200, 200, 200, 200, 200, 200, 200, 200),
    "api-consultation-close":                (401, 401, 200, 200, 404, 404, 200, 200),
    "api-consultation-groups":               (401, 401, 200, 200, 404, 404, 200, 200),
    "api-consultation-groups-confirm":       (401, 401, 200, 200, 404, 404, 200, 200),
    "api-suggestion":                        (200, 200, 200, 200, 200, 200, 200, 200),
    "api-suggestion#no-secret":              (404, 404, 404, 404, 404, 404, 404, 404),
    "api-suggestion-support":                (400, 400, 400, 400, 400, 400, 400, 400),
    "api-suggestion-moderate":               (401, 401, 400, 400, 404, 404, 400, 400),
    "api-support-confirm":                   (400, 400, 400, 400, 400, 400, 400, 400),
    "api-group-answer":                      (401, 401, 400, 400, 404, 404, 400, 400),
    "api-answer-progress":                   (401, 401, 400, 400, 404, 404, 400, 400),
    # The hotline console: operators only (none of the matrix's actors is one; tests/hotline checks the operator).
    "hotline:console":                       (L,   L,   403, 403, 403, 403, 403, 403),
    "hotline:caller":                        (L,   L,   403, 403, 403, 403, 403, 403),
    "hotline:assist":                        (L,   L,   403, 403, 403, 403, 403, 403),
    "hotline:log":                           (L,   L,   403, 403, 403, 403, 403, 403),
    # The knowledge base: each department keeps its own articles; supervisors read all and see the reopenings.
    "knowledge:list":                        (L,   L,   200, 200, 200, 200, 200, 200),
    "knowledge:new":                         (L,   L,   200, 200, 200, 403, 403, 200),  # needs a department
    "knowledge:edit":                        (L,   L,   200, 200, 404, 404, 404, 200),  # a CGJ article
    "knowledge:reopened":                    (L,   L,   403, 403, 403, 403, 200, 200),
    # Django admin: only the administrator (ADMIN_RULE); these are Django's own answers.
    "admin:login":                           (200, 200, 200, 200, 200, 200, 200, R),
    "admin:logout":                          (R,   R,   R,   R,   R,   R,   R,   405),  # GET: POST only
    "admin:autocomplete":                    (AL,  AL,  AL,  AL,  AL,  AL,  AL,  403),  # without its parameters
    "admin:view_on_site":                    (AL,  AL,  AL,  AL,  AL,  AL,  AL,  404),  # cases have no public URL
    "<unnamed> admin/(?P<url>.*)$":          (AL,  AL,  AL,  AL,  AL,  AL,  AL,  404),
    "admin:routing_routingdecision_delete#missing": (AL, AL, AL, AL, AL, AL, AL, 403),  # never deleted by hand
}
# fmt: on

# Audit rows are never written by hand in the admin: "add" is refused even to the administrator.
READ_ONLY_ADMIN_MODELS = [
    "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog", "otp_totp_totpdevice",
    "routing_routingdecision", "deadlines_escalation", "casework_returnrecord", "casework_extensionrequest",
    "consultations_support", "consultations_consultationevent",
]  # fmt: skip
for _model in READ_ONLY_ADMIN_MODELS:
    EXPECTED[f"admin:{_model}_add"] = (AL,) * 7 + (403,)


def observed_token(response) -> str | int:
    if response.status_code == 200 and "feedback/track_lookup.html" in {t.name for t in response.templates or []}:
        return LOOKUP
    if response.status_code not in (301, 302, 303):
        return response.status_code
    location = response["Location"]
    path = re.sub(r"^https?://[^/]+", "", location)
    if path.startswith(reverse("accounts:login")):
        return LOGIN
    if path.startswith(reverse("admin:login")):
        return ADMIN_LOGIN
    if path == "/track/" or path.startswith("/track/?"):
        return TO_LOOKUP
    if path.startswith("/track/"):
        return TO_TRACK
    if path.startswith("/staff/cases/"):
        return TO_CASE
    return REDIRECT


@dataclass
class World:
    case: object = None
    zjj_case: object = None
    moved_case: object = None
    moved_attachment: object = None
    published: object = None
    email_case: object = None
    attachment: object = None
    extension: object = None
    delivery: object = None
    alert: object = None
    incident: object = None
    open311: object = None
    consultation: object = None  # open, with a published suggestion and a support
    closed_consultation: object = None  # closed, grouping confirmed, one group answered "adopted"
    suggestion: object = None
    suggestion_secret: str = ""
    group: object = None
    answer: object = None
    support: object = None
    article: object = None  # a knowledge-base article of CGJ
    email_token: str = ""
    admin_pks: dict = field(default_factory=dict)


def build_world() -> World:
    from django.core.files.base import ContentFile

    from accounts.models import User
    from casework.email_links import link_token
    from casework.models import Assignment, AssignmentStatus, DeliveryStatus, EmailDelivery, ExtensionRequest
    from city.models import Department
    from deadlines.models import Deadline
    from demo.city import seed_demo
    from feedback.models import Attachment, CaseEvent, MaterialRequest, Notification, Reply, Status, Submission
    from open311.models import ServiceRequest
    from surges.models import Incident, SubmissionIncident, SurgeAlert, SurgeAlertMember
    from tests.factories import make_case

    seed_demo()
    now = timezone.now()
    owner = User.objects.get(username="cgj_staff")
    cgj = Department.objects.get(code="CGJ")
    w = World()
    w.case = make_case(status=Status.IN_PROGRESS, department="CGJ", title="小区门口垃圾堆积")
    w.attachment = Attachment(submission=w.case, original_name="photo.png", content_type="image/png", size=4)
    w.attachment.file.save("photo.png", ContentFile(b"\x89PNG"), save=True)
    MaterialRequest.objects.create(submission=w.case, asked_by=owner, question="请补充照片")
    event = CaseEvent.objects.create(
        submission=w.case, kind="note", action="note", actor=owner, from_status=w.case.status,
        to_status=w.case.status, reason="已联系物业", created_at=now,
    )  # fmt: skip
    Notification.objects.create(event=event, recipient=owner, channel="app", subject="新工单", body="...")
    w.extension = ExtensionRequest.objects.create(
        submission=w.case, department=Department.objects.get(code="CGJ"), reason="需要协调",
        current_due_at=now + timedelta(days=2), requested_due_at=now + timedelta(days=9), requested_by=owner,
    )  # fmt: skip

    # Contact details that must appear only where the table allows the contact page.
    Submission.objects.filter(pk=w.case.pk).update(phone=CONTACT_PHONE, email=CONTACT_EMAIL)
    # Overdue, so the case is on the deadline board, the oversight lists and the CSV export too.
    overdue = {"started_at": now - timedelta(days=3), "due_at": now - timedelta(hours=1), "department_id": cgj.pk}
    Deadline.objects.filter(submission=w.case).update(**overdue)

    w.zjj_case = make_case(status=Status.IN_PROGRESS, department="ZJJ", title="楼道墙皮脱落")

    # A case ZJJ had first and that was transferred to CGJ: ZJJ's assignment is cancelled.
    w.moved_case = make_case(status=Status.IN_PROGRESS, department="CGJ", title="井盖缺失")
    Assignment.objects.create(
        submission=w.moved_case, department=Department.objects.get(code="ZJJ"), role="lead",
        status=AssignmentStatus.CANCELLED, assigned_at=now - timedelta(days=1), ended_at=now,
    )  # fmt: skip
    w.moved_attachment = Attachment(
        submission=w.moved_case, original_name="a.pdf", content_type="application/pdf", size=4
    )
    w.moved_attachment.file.save("a.pdf", ContentFile(b"%PDF"), save=True)

    w.published = make_case(status=Status.REPLIED, department="CGJ", title="路灯不亮", may_publish=True)
    Reply.objects.create(
        submission=w.published, department=Department.objects.get(code="CGJ"), author=owner,
        disposition="resolved", text="已修复路灯。",
    )  # fmt: skip
    name, phone, email = PUBLISHED_CONTACT
    Submission.objects.filter(pk=w.published.pk).update(name=name, phone=phone, email=email)
    ServiceRequest.objects.create(submission=w.published, token="tok-authz-matrix")
    w.open311 = w.published

    # An office that works by email (no accounts): its signed link is a capability.
    email_dept = Department.objects.get(code="SWJ")
    Department.objects.filter(pk=email_dept.pk).update(works_by_email=True, contact_email="swj@qinghe.example")
    w.email_case = make_case(status=Status.ASSIGNED, department="SWJ", title="水管爆裂")
    assignment = Assignment.objects.get(submission=w.email_case)
    w.email_token = link_token(assignment.pk)
    w.delivery = EmailDelivery.objects.create(
        assignment=assignment, department=email_dept, to_email="old@qinghe.example", status=DeliveryStatus.FAILED
    )

    w.incident = Incident.objects.create(title="翠湖苑停水", lead_department=email_dept)
    SubmissionIncident.objects.create(submission=w.email_case, incident=w.incident)
    w.alert = SurgeAlert.objects.create(
        key="authz-matrix", first_at=now - timedelta(hours=1), latest_at=now, report_count=1, topic_words=["停水"]
    )
    SurgeAlertMember.objects.create(alert=w.alert, submission=w.email_case)
    build_consultations(w, owner, cgj, now)
    from knowledge.services import article_save

    w.article = article_save(
        by=owner, data={"title": "垃圾清运时间", "body": "每日两次清运。", "department": cgj, "valid_from": now.date()}
    )

    for model in admin.site._registry:
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        w.admin_pks[model._meta.label_lower] = first
    return w


def build_consultations(w: World, owner, cgj, now) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consultations import services as consult
    from feedback.uploads import validate_uploads
    from tests.feedback.conftest import PDF_BYTES

    plan = validate_uploads([SimpleUploadedFile("plan.pdf", PDF_BYTES, content_type="application/pdf")])
    w.consultation = consult.consultation_open(
        by=owner, department=cgj, title="湖滨路改造", question="请提建议", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7), attachments=plan,
    )  # fmt: skip
    created = consult.suggestion_create(consultation_id=w.consultation.pk, title="增设路灯", text="晚上太暗")
    w.suggestion, w.suggestion_secret = created.suggestion, created.secret
    requested = consult.support_request(suggestion_reference=w.suggestion.reference, email="fan@example.com")
    w.support = consult.support_confirm(token=requested.verification.token, code=requested.code)
    w.closed_consultation = consult.consultation_open(
        by=owner, department=cgj, title="社区图书馆", question="开放时间", opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=7),
    )  # fmt: skip
    for title in ("延长开放时间", "增加座位"):
        consult.suggestion_create(consultation_id=w.closed_consultation.pk, title=title, text=title + "，方便借书")
    consult.consultation_close(consultation_id=w.closed_consultation.pk, by=owner)
    consult.groups_confirm(consultation_id=w.closed_consultation.pk, by=owner)
    w.group = w.closed_consultation.groups.order_by("pk").first()
    w.answer = consult.group_answer(group_id=w.group.pk, by=owner, outcome="adopted", reason="采纳")


# --- every route, with how to fill its parameters --------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the route's name, or "<unnamed> pattern"
    pattern: str
    lookup: str
    is_admin: bool


def all_routes() -> list[Route]:
    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                pattern = prefix + str(p.pattern)
                key = name or f"<unnamed> {pattern}"
                is_admin = (name or "").startswith("admin:") or pattern.startswith("admin/")
                yield Route(key, pattern, p.lookup_str, is_admin)

    return list(walk(get_resolver().url_patterns))


@dataclass(frozen=True)
class Probe:
    key: str
    method: str
    url: str
    data: dict | None = None
    headers: dict | None = None
    by_token: bool = False  # as a system would: no session, the actor's API token (if any) in the header


def probes_for(route: Route, w: World) -> list[Probe] | None:
    """The requests that check ``route``; None when the test does not know how to build its URL."""
    builder = BUILDERS.get(route.key)
    if builder is not None:
        return builder(w)
    if route.is_admin:
        return admin_probes(route, w)
    return None


def get(key: str, url: str, **extra) -> Probe:
    return Probe(key, "GET", url, **extra)


def post(key: str, url: str, data: dict | None = None, **extra) -> Probe:
    return Probe(key, "POST", url, data or {}, **extra)


def simple(key: str, method: str = "GET"):
    return lambda w: [Probe(key, method, reverse(key), {} if method == "POST" else None)]


BUILDERS = {
    "home": simple("home"),
    "healthz": simple("healthz"),
    "favicon": simple("favicon"),
    "set_language": lambda w: [post("set_language", "/i18n/setlang/", {"language": "en", "next": "/"})],
    "javascript-catalog": simple("javascript-catalog"),
    "accounts:login": simple("accounts:login"),
    "accounts:login_verify": simple("accounts:login_verify"),
    "accounts:logout": lambda w: [post("accounts:logout", reverse("accounts:logout"))],
    "accounts:security": simple("accounts:security"),
    "casework:inbox": simple("casework:inbox"),
    "casework:home": simple("casework:home"),
    "casework:case": lambda w: [
        get("casework:case", reverse("casework:case", args=[w.case.pk])),
        get("casework:case#zjj", reverse("casework:case", args=[w.zjj_case.pk])),
        get("casework:case#taken-away", reverse("casework:case", args=[w.moved_case.pk])),
        get("casework:case#missing", reverse("casework:case", args=[999999999])),
    ],
    "casework:contact": lambda w: [get("casework:contact", reverse("casework:contact", args=[w.case.pk]))],
    "casework:act": lambda w: [
        post("casework:act#reply", reverse("casework:act", args=[w.case.pk, "reply"])),
        post("casework:act#note", reverse("casework:act", args=[w.case.pk, "note"])),
        post("casework:act#sign_for", reverse("casework:act", args=[w.case.pk, "sign_for"])),
        get("casework:act#get", reverse("casework:act", args=[w.case.pk, "reply"])),
    ],
    "casework:notifications": simple("casework:notifications"),
    "casework:notifications_read": simple("casework:notifications_read", "POST"),
    "casework:email_case": lambda w: [
        get("casework:email_case", reverse("casework:email_case", args=[w.email_token])),
        get("casework:email_case#forged", reverse("casework:email_case", args=["1:forged:sig"])),
    ],
    "casework:email_act": lambda w: [
        post("casework:email_act", reverse("casework:email_act", args=[w.email_token, "reply"])),
        post("casework:email_act#forged", reverse("casework:email_act", args=["1:forged:sig", "reply"])),
    ],
    "casework:triage": simple("casework:triage"),
    "casework:returns": simple("casework:returns"),
    "casework:delivery_retry": lambda w: [
        post("casework:delivery_retry", reverse("casework:delivery_retry", args=[w.delivery.pk]))
    ],
    "casework:supervise": simple("casework:supervise"),
    "casework:extension_decide": lambda w: [
        post("casework:extension_decide", reverse("casework:extension_decide", args=[w.extension.pk, "reject"]))
    ],
    "api-routing-decisions": simple("api-routing-decisions"),
    "api-escalations": simple("api-escalations"),
    "api-kpis": simple("api-kpis"),
    "api-surge-alerts": simple("api-surge-alerts"),
    "maps:hotspots": simple("maps:hotspots"),
    "maps:hotspot_cases": lambda w: [
        get("maps:hotspot_cases", reverse("maps:hotspot_cases") + "?south=30.62&west=119.97&size=0.01")
    ],
    "maps:board": simple("maps:board"),
    "api-maps-city": simple("api-maps-city"),
    "api-maps-locate": lambda w: [get("api-maps-locate", reverse("api-maps-locate") + "?lat=30.123456&lng=120.654321")],
    "api-maps-nearby": lambda w: [get("api-maps-nearby", reverse("api-maps-nearby") + "?lat=30.123456&lng=120.654321")],
    "api-maps-hotspots": simple("api-maps-hotspots"),
    "api-maps-board": simple("api-maps-board"),
    "api-surge-alert": lambda w: [get("api-surge-alert", reverse("api-surge-alert", args=[w.alert.pk]))],
    "api-staff-cases": lambda w: [
        get("api-staff-cases", reverse("api-staff-cases")),
        get("api-staff-cases#token", reverse("api-staff-cases"), by_token=True),
    ],
    "api-staff-case": lambda w: [
        get("api-staff-case", reverse("api-staff-case", args=[w.case.pk])),
        get("api-staff-case#zjj", reverse("api-staff-case", args=[w.zjj_case.pk])),
        get("api-staff-case#token", reverse("api-staff-case", args=[w.case.pk]), by_token=True),
    ],
    "api-staff-case-action": lambda w: [
        post("api-staff-case-action", reverse("api-staff-case-action", args=[w.case.pk, "reply"])),
        post("api-staff-case-action#sign_for", reverse("api-staff-case-action", args=[w.case.pk, "sign_for"])),
        post("api-staff-case-action#token", reverse("api-staff-case-action", args=[w.case.pk, "reply"]), by_token=True),
    ],
    "api-staff-case-action#token": (401, 401, 400, 400, 404, 400, 400, 400),
    "api-staff-case-action#sign_for": (401, 401, 409, 409, 404, 409, 409, 409),
    "api-staff-extension-decide": lambda w: [
        post("api-staff-extension-decide", reverse("api-staff-extension-decide", args=[w.extension.pk, "reject"]))
    ],
    "feedback:submit": lambda w: [get("feedback:submit", "/submit/"), post("feedback:submit#post", "/submit/")],
    "feedback:submit_done": simple("feedback:submit_done"),
    "feedback:track": simple("feedback:track"),
    "feedback:track_detail": lambda w: [
        get("feedback:track_detail", reverse("feedback:track_detail", args=[w.case.tracking_number])),
        get("feedback:track_detail#other", reverse("feedback:track_detail", args=[w.zjj_case.tracking_number])),
    ],
    "feedback:track_rate": lambda w: [
        post("feedback:track_rate", reverse("feedback:track_rate", args=[w.case.tracking_number]))
    ],
    "feedback:track_reopen": lambda w: [
        post("feedback:track_reopen", reverse("feedback:track_reopen", args=[w.case.tracking_number]))
    ],
    "feedback:track_material": lambda w: [
        post("feedback:track_material", reverse("feedback:track_material", args=[w.case.tracking_number]))
    ],
    "feedback:track_urge": lambda w: [
        post("feedback:track_urge", reverse("feedback:track_urge", args=[w.case.tracking_number]))
    ],
    "feedback:track_withdraw": lambda w: [
        post("feedback:track_withdraw", reverse("feedback:track_withdraw", args=[w.case.tracking_number]))
    ],
    "feedback:my_cases": simple("feedback:my_cases"),
    "feedback:my_cases_code": simple("feedback:my_cases_code"),
    "feedback:my_cases_list": simple("feedback:my_cases_list"),
    "feedback:my_cases_leave": simple("feedback:my_cases_leave", "POST"),
    "feedback:my_cases_open": lambda w: [
        get("feedback:my_cases_open", reverse("feedback:my_cases_open", args=[w.case.tracking_number]))
    ],
    "feedback:track_link": lambda w: [
        get("feedback:track_link", reverse("feedback:track_link", args=[w.case.tracking_number, SECRET])),
        get("feedback:track_link#wrong", reverse("feedback:track_link", args=[w.case.tracking_number, "wrong"])),
    ],
    "feedback:attachment": lambda w: [
        get("feedback:attachment", reverse("feedback:attachment", args=[w.attachment.pk])),
        get("feedback:attachment#taken-away", reverse("feedback:attachment", args=[w.moved_attachment.pk])),
    ],
    "feedback:board": simple("feedback:board"),
    "feedback:board_detail": lambda w: [
        get("feedback:board_detail", reverse("feedback:board_detail", args=[w.published.tracking_number])),
        get("feedback:board_detail#private", reverse("feedback:board_detail", args=[w.case.tracking_number])),
    ],
    "feedback_api:submission_create": lambda w: [
        post("feedback_api:submission_create", reverse("feedback_api:submission_create"))
    ],
    "feedback_api:submission_detail": lambda w: [
        get(
            "feedback_api:submission_detail",
            reverse("feedback_api:submission_detail", args=[w.case.tracking_number]),
            headers={"X-Tracking-Secret": SECRET},
        ),
        get(
            "feedback_api:submission_detail#no-secret",
            reverse("feedback_api:submission_detail", args=[w.case.tracking_number]),
        ),
    ],
    "hotline:console": simple("hotline:console"),
    "hotline:caller": lambda w: [get("hotline:caller", reverse("hotline:caller") + "?number=13800138000")],
    "hotline:assist": lambda w: [get("hotline:assist", reverse("hotline:assist") + "?title=%E5%9E%83%E5%9C%BE")],
    "hotline:log": lambda w: [post("hotline:log", reverse("hotline:log"))],
    "knowledge:list": simple("knowledge:list"),
    "knowledge:new": simple("knowledge:new"),
    "knowledge:edit": lambda w: [get("knowledge:edit", reverse("knowledge:edit", args=[w.article.pk]))],
    "knowledge:reopened": simple("knowledge:reopened"),
    "surges:list": simple("surges:list"),
    "surges:detail": lambda w: [get("surges:detail", reverse("surges:detail", args=[w.alert.pk]))],
    "surges:merge": lambda w: [post("surges:merge", reverse("surges:merge", args=[w.alert.pk]))],
    "surges:dismiss": lambda w: [post("surges:dismiss", reverse("surges:dismiss", args=[w.alert.pk]))],
    "surges:incident": lambda w: [get("surges:incident", reverse("surges:incident", args=[w.incident.pk]))],
    "surges:propose": lambda w: [get("surges:propose", reverse("surges:propose", args=[w.case.pk]))],
    "api-root": simple("api-root"),
    "api-schema": simple("api-schema"),
    "api-docs": simple("api-docs"),
    "api-redoc": simple("api-redoc"),
    "api-token": lambda w: [post("api-token", reverse("api-token"))],
    "department-list": simple("department-list"),
    "department-detail": lambda w: [get("department-detail", reverse("department-detail", args=["CGJ"]))],
    "category-list": simple("category-list"),
    "category-detail": lambda w: [get("category-detail", reverse("category-detail", args=["city.garbage"]))],
    "open311:discovery": lambda w: [get("open311:discovery", "/open311/v2/discovery.json")],
    "open311:services": lambda w: [get("open311:services", "/open311/v2/services.json")],
    "open311:service": lambda w: [get("open311:service", "/open311/v2/services/city.garbage.json")],
    "open311:requests": lambda w: [
        get("open311:requests", "/open311/v2/requests.json"),
        post("open311:requests#post", "/open311/v2/requests.json"),
    ],
    "open311:request": lambda w: [
        get("open311:request", f"/open311/v2/requests/{w.open311.tracking_number}.json"),
        get("open311:request#private", f"/open311/v2/requests/{w.case.tracking_number}.json"),
    ],
    "open311:token": lambda w: [get("open311:token", "/open311/v2/tokens/tok-authz-matrix.json")],
    "oversight:dashboard": simple("oversight:dashboard"),
    "oversight:cases": simple("oversight:cases"),
    "oversight:cases_csv": simple("oversight:cases_csv"),
    "oversight:case": lambda w: [get("oversight:case", reverse("oversight:case", args=[w.case.pk]))],
    "oversight:kpis": simple("oversight:kpis"),
    "oversight:digest": simple("oversight:digest"),
    "oversight:digest_pdf": simple("oversight:digest_pdf"),
    "scoreboard": simple("scoreboard"),
    "deadlines:deadline_board": simple("deadlines:deadline_board"),
    "consultations:list": simple("consultations:list"),
    "consultations:attachment": lambda w: [
        get("consultations:attachment", reverse("consultations:attachment", args=[w.consultation.attachments.get().pk]))
    ],
    "consultations:detail": lambda w: [
        get("consultations:detail", reverse("consultations:detail", args=[w.consultation.pk]))
    ],
    "consultations:suggest": lambda w: [
        post("consultations:suggest", reverse("consultations:suggest", args=[w.consultation.pk]))
    ],
    "consultations:suggest_done": simple("consultations:suggest_done"),
    "consultations:private_link": lambda w: [
        get(
            "consultations:private_link",
            reverse("consultations:private_link", args=[w.suggestion.reference, w.suggestion_secret]),
        ),
        get(
            "consultations:private_link#wrong",
            reverse("consultations:private_link", args=[w.suggestion.reference, "wrong"]),
        ),
    ],
    "consultations:mine": lambda w: [
        get("consultations:mine", reverse("consultations:mine", args=[w.suggestion.reference]))
    ],
    "consultations:support": lambda w: [
        post("consultations:support", reverse("consultations:support", args=[w.suggestion.reference]))
    ],
    "consultations:support_confirm": simple("consultations:support_confirm"),
    "consultations:office": simple("consultations:office"),
    "consultations:new": simple("consultations:new"),
    "consultations:manage": lambda w: [
        get("consultations:manage", reverse("consultations:manage", args=[w.consultation.pk]))
    ],
    "consultations:close": lambda w: [
        post("consultations:close", reverse("consultations:close", args=[w.consultation.pk]))
    ],
    "consultations:confirm_groups": lambda w: [
        post("consultations:confirm_groups", reverse("consultations:confirm_groups", args=[w.closed_consultation.pk]))
    ],
    "consultations:moderate": lambda w: [
        post("consultations:moderate", reverse("consultations:moderate", args=[w.suggestion.pk]))
    ],
    "consultations:restore": lambda w: [
        post("consultations:restore", reverse("consultations:restore", args=[w.suggestion.pk]))
    ],
    "consultations:regroup": lambda w: [
        post("consultations:regroup", reverse("consultations:regroup", args=[w.group.suggestions.first().pk]))
    ],
    "consultations:answer": lambda w: [
        post("consultations:answer", reverse("consultations:answer", args=[w.group.pk]))
    ],
    "consultations:progress": lambda w: [
        post("consultations:progress", reverse("consultations:progress", args=[w.answer.pk]))
    ],
    "consultations:void_support": lambda w: [
        post("consultations:void_support", reverse("consultations:void_support", args=[w.support.pk]))
    ],
    "api-consultations": lambda w: [
        get("api-consultations", reverse("api-consultations")),
        post("api-consultations#post", reverse("api-consultations")),
    ],
    "api-consultation": lambda w: [get("api-consultation", reverse("api-consultation", args=[w.consultation.pk]))],
    "api-consultation-themes": lambda w: [
        get("api-consultation-themes", reverse("api-consultation-themes", args=[w.consultation.pk]))
    ],
    "api-consultation-suggestions": lambda w: [
        get("api-consultation-suggestions", reverse("api-consultation-suggestions", args=[w.consultation.pk]))
    ],
    "api-consultation-close": lambda w: [
        post("api-consultation-close", reverse("api-consultation-close", args=[w.consultation.pk]))
    ],
    "api-consultation-groups": lambda w: [
        get("api-consultation-groups", reverse("api-consultation-groups", args=[w.closed_consultation.pk]))
    ],
    "api-consultation-groups-confirm": lambda w: [
        post(
            "api-consultation-groups-confirm",
            reverse("api-consultation-groups-confirm", args=[w.closed_consultation.pk]),
        )
    ],
    "api-suggestion": lambda w: [
        get(
            "api-suggestion",
            reverse("api-suggestion", args=[w.suggestion.reference]),
            headers={"X-Suggestion-Secret": w.suggestion_secret},
        ),
        get("api-suggestion#no-secret", reverse("api-suggestion", args=[w.suggestion.reference])),
    ],
    "api-suggestion-support": lambda w: [
        post("api-suggestion-support", reverse("api-suggestion-support", args=[w.suggestion.reference]))
    ],
    "api-suggestion-moderate": lambda w: [
        post("api-suggestion-moderate", reverse("api-suggestion-moderate", args=[w.suggestion.reference]))
    ],
    "api-support-confirm": lambda w: [post("api-support-confirm", reverse("api-support-confirm"))],
    "api-group-answer": lambda w: [post("api-group-answer", reverse("api-group-answer", args=[w.group.pk]))],
    "api-answer-progress": lambda w: [post("api-answer-progress", reverse("api-answer-progress", args=[w.answer.pk]))],
}


# --- the Django admin: one rule ------------------------------------------------------------------

ADMIN_RULE = (ADMIN_LOGIN,) * 7 + (200,)


def admin_probes(route: Route, w: World) -> list[Probe] | None:
    """Admin pages by rule: only the administrator; others go to the admin's sign-in page."""
    name = route.key.removeprefix("admin:")
    if route.key == "admin:app_list":
        return [get(route.key, reverse(route.key, args=["feedback"]))]
    if route.key == "admin:view_on_site":
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get(app_label="feedback", model="submission")
        return [get(route.key, reverse(route.key, args=[content_type.pk, w.case.pk]))]
    if route.pattern == "admin/(?P<url>.*)$":
        return [get(route.key, "/admin/no-such-page/")]
    if route.key.startswith("<unnamed>"):
        # admin/<app>/<model>/<pk>/ redirects to the change page.
        match = re.fullmatch(r"admin/(\w+)/(\w+)/<path:object_id>/", route.pattern)
        if match is None:
            return None
        pk = w.admin_pks.get(f"{match[1]}.{match[2]}")
        return [get(route.key, f"/admin/{match[1]}/{match[2]}/{pk or 0}/")]
    if "<" not in route.pattern and "(?P" not in route.pattern:
        return [get(route.key, reverse(route.key))]
    for label in w.admin_pks:
        app, model = label.split(".")
        if name.startswith(f"{app}_{model}_"):
            pk = w.admin_pks[label]
            if pk is None:  # no row of this model in the world: the admin redirects, others still may not ask
                return [get(f"{route.key}#missing", reverse(route.key, args=[0]))]
            return [get(route.key, reverse(route.key, args=[pk]))]
    if route.key == "admin:auth_user_password_change":
        return [get(route.key, reverse(route.key, args=[w.admin_pks["accounts.user"]]))]
    return None


ADMIN_OBJECT_REDIRECT = (ADMIN_LOGIN,) * 7 + (REDIRECT,)  # admin/<app>/<model>/<pk>/ -> .../change/


def expected_for(probe: Probe) -> tuple | None:
    if probe.key in EXPECTED:
        return EXPECTED[probe.key]
    if probe.key.startswith("admin:") and probe.key.endswith("#missing"):
        return ADMIN_OBJECT_REDIRECT
    if probe.key.startswith("admin:"):
        return ADMIN_RULE
    if re.fullmatch(r"<unnamed> admin/\w+/\w+/<path:object_id>/", probe.key):
        return ADMIN_OBJECT_REDIRECT
    return None


# --- fixtures --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world is built once per module inside a transaction that is rolled back at the end."""
    media = tempfile.TemporaryDirectory()
    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "authz-matrix"}}
    with override_settings(MEDIA_ROOT=media.name, CACHES=caches), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = build_world()
            clients = {"anonymous": Client(), "citizen": Client()}
            from rest_framework.authtoken.models import Token

            from accounts.models import User

            for actor, username in USERNAMES.items():
                user = User.objects.get(username=username)
                clients[actor] = Client()
                clients[actor].force_login(user)
                clients[actor].api_token = Token.objects.create(user=user).key
            citizen = clients["citizen"]
            citizen.get(reverse("feedback:track_link", args=[w.case.tracking_number, SECRET]))
            citizen.get(reverse("feedback:track_detail", args=[w.case.tracking_number]))  # issues the form token
            yield w, clients
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
    media.cleanup()


def pdf_text(body: bytes) -> bytes:
    """A generated PDF is compressed: the leak checks read the text its reader sees.

    Uploaded attachments in the world are a few stub bytes, not a readable PDF: they are checked as they are.
    """
    try:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).encode()
    except PdfReadError:
        return body


def ask(client: Client, probe: Probe):
    """One request whose writes are undone, so the next actor sees the same world."""
    data = probe.data
    if probe.method == "POST":
        token = client.session.get("citizen_form_token")
        if token and data is not None:
            data = {**data, "citizen_token": token}
    headers = dict(probe.headers or {})
    if probe.by_token:
        token = getattr(client, "api_token", None)
        client, data = Client(), probe.data
        if token:
            headers["Authorization"] = f"Token {token}"
    cookies = copy.deepcopy(client.cookies)  # signing out (or in) must not change who asks next
    with transaction.atomic():
        if probe.method == "GET":
            response = client.get(probe.url, headers=headers)
        else:
            response = client.post(probe.url, data, headers=headers)
        # Read streamed bodies (CSV export, downloads) now, while the request's world still exists.
        response.body = b"".join(response.streaming_content) if response.streaming else response.content
        if response.get("Content-Type") == "application/pdf":
            response.body = pdf_text(response.body)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


# --- the tests -------------------------------------------------------------------------------------


def uncovered_routes(w: World) -> list[str]:
    missing = []
    for route in all_routes():
        probes = probes_for(route, w)
        if not probes:
            missing.append(f"{route.key}  ({route.pattern}, {route.lookup}): no way to build its URL")
            continue
        for probe in probes:
            if expected_for(probe) is None:
                missing.append(f"{probe.key}  ({route.pattern}, {route.lookup}): no row in EXPECTED")
    return missing


def test_every_route_has_an_entry_in_the_matrix(world):
    w, _clients = world
    missing = uncovered_routes(w)
    assert not missing, "Routes the authorization matrix does not cover:\n" + "\n".join(missing)


def test_a_new_route_without_an_entry_is_reported(world, settings):
    w, _clients = world
    settings.ROOT_URLCONF = "tests.security.urls_authz_new_route"
    missing = uncovered_routes(w)
    assert len(missing) == 1 and missing[0].startswith("brand-new  (brand-new/<int:pk>/")


def leaks(probe: Probe, actor: str, response, w: World) -> list[str]:
    """What a response shows that this actor must not see: contact details, or a case they have no access to."""
    if probe.key.startswith(("admin:", "<unnamed> admin")) or response.status_code != 200:
        return []
    body = response.body.decode(errors="replace")
    found = []
    if (CONTACT_PHONE in body or CONTACT_EMAIL in body) and probe.key != "casework:contact" and actor != "citizen":
        found.append("the citizen's contact details")
    if any(detail in body for detail in PUBLISHED_CONTACT) and actor in ("anonymous", "citizen"):
        found.append("the published case's citizen's name or contact details")
    if any(detail in body for detail in PUBLISHED_CONTACT[1:]):
        found.append("the published case's citizen's contact details")
    if actor in ("anonymous", "outsider"):
        for case in (w.case, w.moved_case):
            if case.tracking_number in body and case.tracking_number not in probe.url:
                found.append(f"case {case.tracking_number}")
    return [f"{probe.method} {probe.url} [{probe.key}] shows {actor} {what}" for what in found]


# Where those with access do see the case: proves its absence for the others means something.
SHOWN_TO = {
    ("casework:inbox", "owner"): lambda w: w.case.tracking_number,
    ("api-staff-cases", "owner"): lambda w: w.case.tracking_number,
    ("api-staff-cases#token", "owner"): lambda w: w.case.tracking_number,
    ("deadlines:deadline_board", "owner"): lambda w: w.case.tracking_number,
    ("oversight:cases", "supervisor"): lambda w: w.case.tracking_number,
    ("oversight:cases_csv", "supervisor"): lambda w: w.case.tracking_number,
    ("oversight:digest", "supervisor"): lambda w: w.case.tracking_number,
    ("oversight:digest_pdf", "supervisor"): lambda w: w.case.tracking_number,
    ("casework:contact", "owner"): lambda w: CONTACT_PHONE,
    ("feedback:board", "anonymous"): lambda w: w.published.tracking_number,
    ("feedback:board_detail", "anonymous"): lambda w: "已修复路灯",
    ("open311:requests", "anonymous"): lambda w: w.published.tracking_number,
}


def shown_to_those_with_access(probe: Probe, actor: str, response, w: World) -> list[str]:
    wanted = SHOWN_TO.get((probe.key, actor))
    if wanted is None or wanted(w) in response.body.decode(errors="replace"):
        return []
    return [f"{probe.method} {probe.url} [{probe.key}] does not show {actor} {wanted(w)}"]


def test_every_actor_gets_the_answer_in_the_matrix(world):
    w, clients = world
    mismatches, leaked, rows = [], [], []
    for route in all_routes():
        for probe in probes_for(route, w) or []:
            expected = expected_for(probe) or ("?",) * len(ACTORS)
            observed = []
            for actor in ACTORS:
                response = ask(clients[actor], probe)
                observed.append(observed_token(response))
                leaked += leaks(probe, actor, response, w)
                leaked += shown_to_those_with_access(probe, actor, response, w)
            rows.append(f"    {probe.key!r}: {tuple(observed)!r},")
            for actor, want, got in zip(ACTORS, expected, observed, strict=True):
                if want != got:
                    where = f"{probe.method} {probe.url} [{probe.key}] as {actor}"
                    mismatches.append(f"{where}: expected {want}, got {got}")
    assert not leaked, "Responses that show what they must not, or hide what they must show:\n" + "\n".join(leaked)
    assert not mismatches, "\n".join(mismatches) + "\n\nObserved rows:\n" + "\n".join(rows)


CASE_SCOPED = [
    "casework:case", "casework:contact", "casework:act#reply", "casework:act#note", "api-staff-case",
    "api-staff-case-action", "feedback:attachment", "casework:case#taken-away", "feedback:attachment#taken-away",
]  # fmt: skip


def test_staff_of_other_department_gets_404_for_a_case_on_pages_and_api():
    """The table itself must keep the rule: 404, never 403, so outsiders cannot tell a case exists."""
    outsider = ACTORS.index("outsider")
    assert {key: EXPECTED[key][outsider] for key in CASE_SCOPED} == dict.fromkeys(CASE_SCOPED, 404)
    owner = ACTORS.index("owner")
    assert EXPECTED["casework:case#zjj"][owner] == EXPECTED["api-staff-case#zjj"][owner] == 404
