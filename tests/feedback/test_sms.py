"""SMS: the backends, the Twilio adapter against a fake provider, and each message sent exactly once."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from feedback import sms
from feedback.models import Notification, Submission

pytestmark = pytest.mark.django_db

PHONE = "+8613912345678"


def _phone_only_case(client, form_data, django_capture_on_commit_callbacks):
    data = {**form_data, "email": "", "phone": "139 1234 5678"}
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/submit/", data)
    assert response.status_code == 302
    return Submission.objects.get()


def test_a_phone_only_citizen_gets_the_receipt_with_the_private_link_by_sms_once(
    client, form_data, fake_twilio, django_capture_on_commit_callbacks
):
    from feedback.notifications import notification_send
    from feedback.tasks import send_notifications, send_pending_notifications_sweep

    submission = _phone_only_case(client, form_data, django_capture_on_commit_callbacks)
    assert submission.phone == PHONE
    secret = client.get("/submit/done/").context["done"]["secret"]
    note = Notification.objects.get(event__submission=submission, channel="sms")
    assert note.recipient_phone == PHONE and secret in note.body

    # The task, a duplicate delivery of the same message, and the sweep: one SMS.
    assert send_notifications.apply(args=[[note.pk]]).get() == 1
    assert send_notifications.apply(args=[[note.pk]]).get() == 0
    assert notification_send(note.pk) is False
    assert send_pending_notifications_sweep() == 0
    assert len(fake_twilio.messages) == 1
    body = fake_twilio.messages[0]["Body"]
    assert submission.tracking_number in body and f"/t/{submission.tracking_number}/{secret}/" in body
    note.refresh_from_db()
    # The stored copy no longer opens the case.
    assert note.sent_at is not None and note.attempts == 1 and secret not in note.body
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_sms_at_once_send_it_once(client, form_data, fake_twilio, monkeypatch):
    from django.db import connection

    from feedback.notifications import notification_send

    client.post("/submit/", {**form_data, "email": "", "phone": "139 1234 5678"})
    submission = Submission.objects.get()
    note = Notification.objects.get(event__submission=submission, channel="sms")
    results: list[bool] = []

    def worker():
        try:
            results.append(notification_send(note.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert len(fake_twilio.messages) == 1


def test_a_provider_outage_is_recorded_and_retried_and_the_message_still_goes_once(
    client, form_data, fake_twilio, django_capture_on_commit_callbacks
):
    from feedback.notifications import notification_send
    from feedback.sms import SmsTransientError
    from feedback.tasks import send_pending_notifications_sweep

    submission = _phone_only_case(client, form_data, django_capture_on_commit_callbacks)
    note = Notification.objects.get(event__submission=submission, channel="sms")
    fake_twilio.fail_next = [503, 429]
    with pytest.raises(SmsTransientError):
        notification_send(note.pk)
    note.refresh_from_db()
    assert note.sent_at is None and note.attempts == 1 and "503" in note.last_error
    assert send_pending_notifications_sweep() == 0  # the 429: recorded, left for later
    note.refresh_from_db()
    assert note.attempts == 2 and "429" in note.last_error
    assert send_pending_notifications_sweep() == 1
    assert send_pending_notifications_sweep() == 0
    note.refresh_from_db()
    assert note.sent_at is not None and note.attempts == 3 and note.last_error == ""
    assert len(fake_twilio.messages) == 1


def test_a_number_the_provider_refuses_is_not_tried_again(
    client, form_data, fake_twilio, django_capture_on_commit_callbacks
):
    from feedback.notifications import MAX_ATTEMPTS, notification_send
    from feedback.tasks import send_pending_notifications_sweep

    submission = _phone_only_case(client, form_data, django_capture_on_commit_callbacks)
    note = Notification.objects.get(event__submission=submission, channel="sms")
    fake_twilio.fail_next = [400]
    assert notification_send(note.pk) is False
    note.refresh_from_db()
    assert note.sent_at is None and note.attempts == MAX_ATTEMPTS and "400" in note.last_error
    requests = fake_twilio.requests
    assert send_pending_notifications_sweep() == 0
    assert fake_twilio.requests == requests and fake_twilio.messages == []


def test_an_unreachable_provider_is_a_transient_error(settings, fake_twilio, free_port):
    settings.SMS_TWILIO_API_BASE = f"http://127.0.0.1:{free_port}"
    with pytest.raises(sms.SmsTransientError):
        sms.sms_send(to=PHONE, body="测试")


def test_wrong_credentials_are_refused_for_good(settings, fake_twilio):
    settings.SMS_TWILIO_AUTH_TOKEN = "wrong"
    with pytest.raises(sms.SmsRejected, match="401"):
        sms.sms_send(to=PHONE, body="测试")


def test_twilio_without_its_settings_fails_naming_them(settings):
    settings.SMS_BACKEND = "feedback.sms.TwilioBackend"
    settings.SMS_TWILIO_ACCOUNT_SID = ""
    with pytest.raises(ImproperlyConfigured, match="SMS_TWILIO_ACCOUNT_SID"):
        sms.sms_send(to=PHONE, body="x")


def test_console_and_file_backends_write_the_message(settings, tmp_path, capsys):
    settings.SMS_BACKEND = "feedback.sms.ConsoleBackend"
    sms.sms_send(to=PHONE, body="控制台短信")
    assert "控制台短信" in capsys.readouterr().out and PHONE
    settings.SMS_BACKEND = "feedback.sms.FileBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    message_id = sms.sms_send(to=PHONE, body="文件短信")
    written = (tmp_path / "sms" / f"{message_id}.txt").read_text(encoding="utf-8")
    assert written.startswith(f"To: {PHONE}") and "文件短信" in written


def test_the_confirmation_email_carries_the_private_link_until_it_is_sent(
    client, form_data, django_capture_on_commit_callbacks
):
    from feedback.notifications import notification_send

    with django_capture_on_commit_callbacks(execute=False):
        client.post("/submit/", form_data)
    submission = Submission.objects.get()
    secret = client.get("/submit/done/").context["done"]["secret"]
    note = Notification.objects.get(event__submission=submission, channel="email")
    assert notification_send(note.pk) is True
    assert f"/t/{submission.tracking_number}/{secret}/" in mail.outbox[0].body
    note.refresh_from_db()
    assert secret not in note.body and f"/t/{submission.tracking_number}/[secret]/" in note.body
    # The SMS of the same event is its own row, sent on its own.
    assert Notification.objects.filter(event__submission=submission, channel="sms").count() == 1
