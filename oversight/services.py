"""Writes of the oversight app: the daily rollup and the leaders' digest email."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from oversight.kpis import (
    FACT_FIELDS,
    collect_facts,
    handling_backfill,
    histogram_live,
    local_midnight,
    volume_live,
)
from oversight.models import DepartmentDay, DigestRun, HandlingDay, RollupState, VolumeDay
from oversight.pdf import digest_pdf, digest_pdf_filename
from oversight.selectors import digest_build

COMMIT_MARGIN = timedelta(minutes=2)


def rollup_refresh(*, first_day: date, last_day: date, now: datetime | None = None) -> int:
    """Recompute the rollup rows for local days first_day..last_day (inclusive), up to ``now``.

    Idempotent: the days are replaced in one transaction, so running twice, or
    two workers at once, leaves the same rows. When the days include today,
    ``RollupState.today_until`` records the instant they are complete up to, and
    pages read only what happened after it live. Returns the number of department-day rows.
    """
    if last_day < first_day:
        raise ValueError("last_day is before first_day")
    # Stop a little before now: a transaction still open may commit a fact dated
    # just before this instant, and it must land on the live side, not be lost.
    now = (now or timezone.now()) - COMMIT_MARGIN
    start = local_midnight(first_day)
    end = min(local_midnight(last_day + timedelta(days=1)), now)
    facts = collect_facts(start, end, by_day=True)
    handling_backfill(start, end)
    handling = [
        HandlingDay(department_id=dept, day=day, bucket=bucket, cases=n)
        for (dept, day), hist in histogram_live(start, end, by_day=True).items()
        if dept is not None
        for bucket, n in hist.items()
    ]
    volumes = [
        VolumeDay(
            department_id=row["lead_department_id"], category_id=row["category_id"], day=row["day"], cases=row["n"]
        )
        for row in volume_live(start, end)
    ]
    rows = [
        DepartmentDay(department_id=dept, day=day, **{name: values[name] for name in FACT_FIELDS})
        for (dept, day), values in facts.items()
        if dept is not None and any(values.values())
    ]
    with transaction.atomic():
        # Serialise concurrent refreshes of the same days on the table lock of one row range.
        DepartmentDay.objects.select_for_update().filter(day__gte=first_day, day__lte=last_day).delete()
        HandlingDay.objects.filter(day__gte=first_day, day__lte=last_day).delete()
        VolumeDay.objects.filter(day__gte=first_day, day__lte=last_day).delete()
        DepartmentDay.objects.bulk_create(rows, batch_size=1000)
        HandlingDay.objects.bulk_create(handling, batch_size=2000)
        VolumeDay.objects.bulk_create(volumes, batch_size=2000)
        if last_day >= timezone.localdate(now):
            RollupState.objects.update_or_create(pk=1, defaults={"today_until": end})
    return len(rows)


def supervisor_emails() -> list[str]:

    return list(
        User.objects.filter(role=Role.SUPERVISOR, is_active=True).exclude(email="").values_list("email", flat=True)
    )


def digest_send(*, first_day: date, last_day: date, now: datetime | None = None) -> int:
    """Email the digest for the period to every active supervisor, once per period, with its PDF attached.

    Returns the number of recipients; 0 when this period was already sent.
    """

    recipients = supervisor_emails()
    if not recipients:
        return 0
    if DigestRun.objects.filter(first_day=first_day, last_day=last_day).exists():
        return 0
    # Render before claiming the period: a failure here leaves it unsent, so the next hourly beat retries.
    with translation.override(settings.LANGUAGE_CODE):
        digest = digest_build(first_day=first_day, last_day=last_day, now=now or timezone.now())
        context = {"digest": digest, "for_email": True, "site_url": settings.SITE_URL}
        html = render_to_string("oversight/digest_email.html", context)
        subject = _("Digest %(first)s – %(last)s") % {"first": first_day, "last": last_day}
        text = render_to_string("oversight/digest_email.txt", context)
        attachment = digest_pdf(digest)
    run, created = DigestRun.objects.get_or_create(first_day=first_day, last_day=last_day)
    if not created:  # another worker claimed it while this one rendered
        return 0
    message = EmailMultiAlternatives(subject, text, None, recipients)
    message.attach_alternative(html, "text/html")
    message.attach(digest_pdf_filename(first_day, last_day), attachment, "application/pdf")
    try:
        message.send()
    except Exception:
        run.delete()  # not sent: release the period for the next attempt
        raise
    DigestRun.objects.filter(pk=run.pk).update(recipients=len(recipients))
    return len(recipients)
