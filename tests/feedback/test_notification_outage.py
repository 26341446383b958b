"""A notification mailed just before the database went away is marked sent, not mailed again."""

from __future__ import annotations

from unittest import mock

import psycopg
import pytest
from django.core import mail
from django.core.mail import send_mail as real_send_mail
from django.db import connection

from tests.integration.conftest import database_url_for_test_db

pytestmark = pytest.mark.django_db(transaction=True)


def _citizen_notification(city):
    from feedback.models import Notification
    from feedback.services import submission_create, submission_received_react

    submission, _secret, _created = submission_create(
        data={
            "kind": "complaint",
            "title": "噪音扰民",
            "text": "楼下商铺每晚放音乐到十二点。",
            "email": "li@example.com",
        }
    )
    submission_received_react(submission_id=submission.pk)  # the worker's first step (the outbox)
    return Notification.objects.get(event__submission=submission, sent_at__isnull=True)


def _terminate_backend_after_sending(*args, **kwargs):
    """The mail server accepts the message; then PostgreSQL drops this session (a restart, a failover)."""
    sent = real_send_mail(*args, **kwargs)
    pid = connection.connection.info.backend_pid
    with psycopg.connect(database_url_for_test_db().replace("postgres://", "postgresql://"), autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    return sent


def test_mail_sent_before_the_database_dropped_is_not_sent_again(city):
    from feedback.models import Notification
    from feedback.notifications import notification_send
    from feedback.tasks import send_pending_notifications_sweep

    note = _citizen_notification(city)
    with mock.patch("feedback.notifications.send_mail", side_effect=_terminate_backend_after_sending):
        assert notification_send(note.pk) is True
    note = Notification.objects.get(pk=note.pk)
    assert note.sent_at is not None and note.attempts == 1
    assert send_pending_notifications_sweep() == 0  # the sweep finds nothing left to send
    assert len(mail.outbox) == 1


def test_database_error_before_the_mail_leaves_sends_nothing_and_keeps_the_row_for_the_sweep(city):
    from django.db import OperationalError

    from feedback.models import Notification
    from feedback.notifications import notification_send

    note = _citizen_notification(city)
    with mock.patch("feedback.notifications.send_mail", side_effect=OperationalError("server closed the connection")):
        with pytest.raises(OperationalError):
            notification_send(note.pk)
    assert Notification.objects.get(pk=note.pk).sent_at is None
    assert mail.outbox == []
