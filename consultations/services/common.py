"""What the services share: errors, keyed hashes, who may manage a consultation, completing one."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from consultations.models import (
    Consultation,
    ConsultationStatus,
    Suggestion,
    SuggestionGroup,
    SuggestionStatus,
)
from consultations.workflow import consultation_transition
from portal.errors import DomainError, NotFound


class RateLimited(DomainError):
    status_code = 429


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def keyed_hash(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode("utf-8"), hashlib.sha256).hexdigest()


def may_manage(user, consultation: Consultation) -> bool:
    """Supervisors, and members of the answering office."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_supervisor or consultation.department_id in user.department_ids()


def require_manage(user, consultation: Consultation) -> None:
    if not may_manage(user, consultation):
        # The same answer as for a consultation that does not exist.
        raise NotFound(_("No such consultation."))


def consultation_locked(consultation_id: int) -> Consultation:
    consultation = Consultation.objects.select_for_update().filter(pk=consultation_id).first()
    if consultation is None:
        raise NotFound(_("No such consultation."))
    return consultation


def complete_if_answered(consultation: Consultation, by, now: datetime) -> None:
    if consultation.status != ConsultationStatus.CLOSED:
        return
    unanswered = (
        SuggestionGroup.objects.filter(consultation=consultation, answer__isnull=True)
        .filter(Q(suggestions__status=SuggestionStatus.PUBLISHED))
        .exists()
    )
    ungrouped = Suggestion.objects.filter(
        consultation=consultation, status=SuggestionStatus.PUBLISHED, group__isnull=True
    ).exists()
    if unanswered or ungrouped:
        return
    consultation_transition(
        consultation=consultation,
        action="complete",
        by=by,
        at=now,
        fields={"answered_at": now, "next_check_at": None},
    )
