"""Personal data is kept only as long as it is needed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from feedback.models import Status, Submission


def submissions_anonymise_closed(*, older_than_days: int | None = None, now: datetime | None = None) -> int:
    """Blank the contact details of cases closed more than N days ago, in one UPDATE.

    Returns the number of cases anonymised. Idempotent: a case is anonymised once.
    The case itself, its text and its history stay, so statistics do not change.
    """
    days = older_than_days if older_than_days is not None else settings.MINSHENG["RETENTION_DAYS"]
    now = now or timezone.now()
    return Submission.objects.filter(
        status=Status.CLOSED, closed_at__lt=now - timedelta(days=days), anonymised_at__isnull=True
    ).update(name="", phone="", email="", address="", latitude=None, longitude=None, anonymised_at=now)
