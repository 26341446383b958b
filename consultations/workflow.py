"""The one door for the statuses of consultations and suggestions.

Each action names the statuses it may start from and the status it leads to.
A change is a conditional UPDATE that must touch exactly one row (the
database settles races), followed by an append-only ``ConsultationEvent``.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from consultations.models import (
    Consultation,
    ConsultationEvent,
    ConsultationStatus,
    Suggestion,
    SuggestionStatus,
)
from portal.errors import TransitionNotAllowed

CONSULTATION_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "close": (frozenset({ConsultationStatus.OPEN}), ConsultationStatus.CLOSED),
    "complete": (frozenset({ConsultationStatus.CLOSED}), ConsultationStatus.ANSWERED),
}
SUGGESTION_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "hide": (frozenset({SuggestionStatus.PUBLISHED}), SuggestionStatus.HIDDEN),
    "restore": (frozenset({SuggestionStatus.HIDDEN}), SuggestionStatus.PUBLISHED),
}


def consultation_transition(
    *, consultation: Consultation, action: str, by, at: datetime, reason: str = "", fields: dict | None = None
) -> ConsultationEvent:
    allowed, target = CONSULTATION_TRANSITIONS[action]
    fields = fields or {}
    changed = Consultation.objects.filter(pk=consultation.pk, status__in=allowed).update(status=target, **fields)
    if changed != 1:
        raise TransitionNotAllowed(_("This consultation cannot be changed that way in its current state."))
    from_status = consultation.status
    consultation.status = target
    for name, value in fields.items():
        setattr(consultation, name, value)
    return ConsultationEvent.objects.create(
        consultation=consultation,
        action=action,
        actor=by,
        actor_label=getattr(by, "username", "") or "system",
        from_status=from_status,
        to_status=target,
        reason=reason,
        created_at=at,
    )


def suggestion_transition(
    *, suggestion: Suggestion, action: str, by, at: datetime, reason: str = "", fields: dict | None = None
) -> ConsultationEvent:
    allowed, target = SUGGESTION_TRANSITIONS[action]
    fields = fields or {}
    changed = Suggestion.objects.filter(pk=suggestion.pk, status__in=allowed).update(status=target, **fields)
    if changed != 1:
        raise TransitionNotAllowed(_("This suggestion cannot be changed that way in its current state."))
    from_status = suggestion.status
    suggestion.status = target
    for name, value in fields.items():
        setattr(suggestion, name, value)
    return ConsultationEvent.objects.create(
        consultation_id=suggestion.consultation_id,
        suggestion=suggestion,
        action=action,
        actor=by,
        actor_label=getattr(by, "username", "") or "system",
        from_status=from_status,
        to_status=target,
        reason=reason,
        created_at=at,
    )
