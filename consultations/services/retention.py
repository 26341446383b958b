"""Personal data is kept only as long as notices may still be sent."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from consultations.models import (
    ADOPTING_OUTCOMES,
    Consultation,
    ConsultationStatus,
    Suggestion,
    Support,
    SupportVerification,
)


def consultations_anonymise(*, older_than_days: int | None = None, now: datetime | None = None) -> int:
    """Blank authors' names and e-mail addresses, and supporters' addresses, once nothing more will be sent.

    That is: the consultation was answered more than ``RETENTION_DAYS`` ago and
    every adopted idea is done. Unconfirmed support codes are deleted after a
    day. Suggestions, counts and the identity hashes (one support per person)
    stay. Returns the number of suggestions anonymised; idempotent.
    """
    days = older_than_days if older_than_days is not None else settings.MINSHENG["RETENTION_DAYS"]
    now = now or timezone.now()
    SupportVerification.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    finished = (
        Consultation.objects.filter(status=ConsultationStatus.ANSWERED, answered_at__lt=now - timedelta(days=days))
        .exclude(answers__outcome__in=ADOPTING_OUTCOMES, answers__done_at__isnull=True)
        .values("pk")
    )
    Support.objects.filter(consultation__in=finished).exclude(email="").update(email="")
    return (
        Suggestion.objects.filter(consultation__in=finished)
        .exclude(author_name="", author_email="")
        .update(author_name="", author_email="")
    )
