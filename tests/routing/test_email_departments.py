"""Offices without accounts: assignments by email, signed expiring links, delivery retries."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.utils import timezone

from casework import email_links
from casework.models import DeliveryStatus, EmailDelivery
from casework.triage import case_dispatch
from city.models import Department
from feedback.models import CaseEvent, Status, Submission
from tests.factories import make_case


@pytest.fixture
def email_office(city):
    office = Department.objects.get(code="YLJ")
    office.works_by_email = True
    office.contact_email = "ylj@qinghe.example"
    office.save()
    return office


@pytest.fixture
def dispatched(email_office):
    from accounts.models import User

    case = make_case(status=Status.TRIAGE, department=None, title="树枝断了")
    case_dispatch(submission_id=case.pk, actor=User.objects.get(username="dispatcher"), department_id=email_office.pk)
    return case, EmailDelivery.objects.get(assignment__submission=case)


def test_assignment_is_mailed_with_a_link_that_lets_the_office_sign_for_without_signing_in(
    client, dispatched, mailoutbox
):
    case, delivery = dispatched
    assert email_links.email_delivery_attempt(delivery_id=delivery.pk) == "sent"
    assert email_links.email_delivery_attempt(delivery_id=delivery.pk) == "skipped"  # never twice
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ylj@qinghe.example"]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/staff/email/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "树枝断了" in page.content.decode()
    client.post(path + "sign_for/", {"version": Submission.objects.get(pk=case.pk).version})
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    uses = CaseEvent.objects.filter(submission=case, action="email_link_used")
    assert [u.payload["what"] for u in uses] == ["open", "sign_for"]
    sign = CaseEvent.objects.get(submission=case, action="sign_for")
    assert sign.actor is None and sign.actor_label.startswith("email-link:")


def test_forged_or_expired_links_get_404(client, dispatched, settings):
    case, delivery = dispatched
    assert client.get("/staff/email/not-a-token/").status_code == 404
    forged = signing.TimestampSigner(salt="another-salt").sign(str(delivery.assignment_id))
    assert client.get(f"/staff/email/{forged}/").status_code == 404
    token = email_links.link_token(delivery.assignment_id)
    settings.MINSHENG = {**settings.MINSHENG, "EMAIL_LINK_MAX_AGE_DAYS": 0}
    with mock.patch("django.core.signing.time.time", return_value=timezone.now().timestamp() + 3600):
        assert client.get(f"/staff/email/{token}/").status_code == 404
    assert Submission.objects.get(pk=case.pk).status == Status.ASSIGNED


def test_a_link_only_reaches_its_own_case(client, dispatched):
    case, delivery = dispatched
    other = make_case(status=Status.ASSIGNED)  # led by CGJ, which has accounts
    token = email_links.link_token(other.assignments.get().pk)
    assert client.get(f"/staff/email/{token}/").status_code == 404
    assert client.post(f"/staff/email/{token}/sign_for/", {}).status_code == 404
    assert Submission.objects.get(pk=other.pk).status == Status.ASSIGNED


def test_transient_smtp_errors_are_retried_with_backoff_then_marked_failed_for_dispatchers(
    client, dispatched, settings
):
    from accounts.models import User

    settings.MINSHENG = {**settings.MINSHENG, "EMAIL_DELIVERY_MAX_ATTEMPTS": 3}
    case, delivery = dispatched
    now = timezone.now()
    with mock.patch("casework.email_links.send_mail", side_effect=smtplib.SMTPServerDisconnected("down")):
        assert email_links.email_delivery_attempt(delivery_id=delivery.pk, now=now) == "pending"
        first = EmailDelivery.objects.get(pk=delivery.pk)
        assert first.attempts == 1 and first.next_attempt_at == now + timedelta(minutes=2)
        # Not due yet: nothing happens.
        assert email_links.email_delivery_attempt(delivery_id=delivery.pk, now=now) == "skipped"
        later = now + timedelta(hours=1)
        email_links.email_delivery_attempt(delivery_id=delivery.pk, now=later)
        assert email_links.email_delivery_attempt(delivery_id=delivery.pk, now=later + timedelta(hours=1)) == "failed"
    assert CaseEvent.objects.filter(submission=case, action="email_delivery_failed").count() == 1
    client.force_login(User.objects.get(username="dispatcher"))
    page = client.get("/dispatch/returns/").content.decode()
    assert "SMTPServerDisconnected" in page
    client.post(f"/dispatch/deliveries/{delivery.pk}/retry/")
    assert EmailDelivery.objects.get(pk=delivery.pk).status == DeliveryStatus.PENDING


def test_staff_cannot_retry_deliveries(client, dispatched):
    from accounts.models import User

    _case, delivery = dispatched
    client.force_login(User.objects.get(username="cgj_staff"))
    assert client.post(f"/dispatch/deliveries/{delivery.pk}/retry/").status_code == 404
