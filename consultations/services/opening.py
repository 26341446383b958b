"""Opening and closing consultations (closing starts the answer deadline and proposes groups)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import deadlines
from consultations.models import (
    Consultation,
    ConsultationAttachment,
    ConsultationEvent,
    ConsultationStatus,
)
from consultations.services.answers import groups_propose
from consultations.services.common import complete_if_answered, consultation_locked, require_manage
from consultations.workflow import consultation_transition
from portal.errors import DomainError, PermissionDenied, TransitionNotAllowed


@transaction.atomic
def consultation_open(
    *,
    by,
    department,
    title: str,
    question: str,
    opens_at: datetime,
    closes_at: datetime,
    background: str = "",
    districts: Sequence = (),
    categories: Sequence = (),
    deadline_policy=None,
    attachments: Sequence = (),
    now: datetime | None = None,
) -> Consultation:
    """Open a consultation for ``department``. ``by`` is a supervisor or a member of that office.

    ``attachments`` are uploads already checked by ``feedback.uploads.validate_uploads``.
    """
    now = now or timezone.now()
    if not getattr(by, "is_authenticated", False) or not (by.is_supervisor or department.pk in by.department_ids()):
        raise PermissionDenied(_("Only the office's staff or a supervisor can open a consultation for it."))
    if not title.strip() or not question.strip():
        raise DomainError(_("A consultation needs a title and a question."))
    if closes_at <= opens_at:
        raise DomainError(_("The closing date must be after the opening date."))
    if closes_at <= now:
        raise DomainError(_("The closing date must be in the future."))
    consultation = Consultation.objects.create(
        title=title.strip(),
        question=question.strip(),
        background=background.strip(),
        department=department,
        opens_at=opens_at,
        closes_at=closes_at,
        deadline_policy=deadline_policy,
        created_by=by,
        created_at=now,
    )
    consultation.districts.set(districts)
    consultation.categories.set(categories)
    for upload in attachments:
        ConsultationAttachment.objects.create(
            consultation=consultation,
            file=upload,
            name=(getattr(upload, "original_name", None) or upload.name)[:200],
            content_type=getattr(upload, "sniffed_type", "") or "application/octet-stream",
            size=upload.size,
        )
    ConsultationEvent.objects.create(
        consultation=consultation, action="open", actor=by, actor_label=by.username, to_status="open", created_at=now
    )
    return consultation


@transaction.atomic
def consultation_close(*, consultation_id: int, by=None, now: datetime | None = None) -> Consultation:
    """Close for suggestions (by the office, or by the system at ``closes_at``), start the answer deadline
    and propose groups of similar suggestions. A consultation without suggestions is answered at once."""
    now = now or timezone.now()
    consultation = consultation_locked(consultation_id)
    if by is not None:
        require_manage(by, consultation)
    fields = {"closed_at": now, **deadlines.answer_deadline_fields(consultation, now)}
    if consultation.closes_at > now:
        fields["closes_at"] = max(now, consultation.opens_at + timedelta(seconds=1))
    consultation_transition(consultation=consultation, action="close", by=by, at=now, fields=fields)
    groups_propose(consultation, now)
    complete_if_answered(consultation, by, now)
    return consultation


def consultations_close_due(*, now: datetime | None = None) -> int:
    """Close every open consultation whose closing time has passed (the periodic job)."""
    now = now or timezone.now()
    ids = Consultation.objects.filter(status=ConsultationStatus.OPEN, closes_at__lte=now).values_list("pk", flat=True)
    closed = 0
    for pk in list(ids):
        try:
            consultation_close(consultation_id=pk, by=None, now=now)
            closed += 1
        except TransitionNotAllowed:
            continue  # closed meanwhile by the office or another worker
    return closed
