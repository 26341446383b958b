"""Citizens' suggestions (masked before anything is public) and their moderation."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import (
    Consultation,
    ConsultationEvent,
    ConsultationStatus,
    ModerationReason,
    Suggestion,
    SuggestionGroup,
)
from consultations.notices import notices_create
from consultations.services.common import RateLimited, complete_if_answered, require_manage, sha256_hex
from consultations.workflow import suggestion_transition
from feedback.masking import mask_text
from feedback.ratelimit import rate_limit_check
from portal.errors import DomainError, NotFound, TransitionNotAllowed

SUGGESTIONS_PER_CLIENT = 10


@dataclass
class SuggestionCreated:
    suggestion: Suggestion
    secret: str


@transaction.atomic
def suggestion_create(
    *,
    consultation_id: int,
    title: str,
    text: str,
    author_name: str = "",
    author_email: str = "",
    language: str = "zh-hans",
    client_hash: str = "",
    now: datetime | None = None,
) -> SuggestionCreated:
    """A citizen's suggestion, without an account. The secret is returned once and stored hashed.

    What the public sees is masked here, before anything is shown: phone
    numbers, ID numbers, e-mail addresses and the author's own name.
    """
    now = now or timezone.now()
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is None:
        raise NotFound(_("No such consultation."))
    if not consultation.is_accepting(now):
        raise TransitionNotAllowed(_("This consultation is not accepting suggestions."))
    title, text = title.strip(), text.strip()
    if not title or not text:
        raise DomainError(_("A suggestion needs a title and a text."))
    if (
        client_hash
        and not rate_limit_check(scope="consult-suggest", key=client_hash, limit=SUGGESTIONS_PER_CLIENT).allowed
    ):
        raise RateLimited(_("Too many suggestions from your connection. Please try again later."))
    secret = secrets.token_urlsafe(24)
    names = [author_name] if author_name.strip() else []
    suggestion = Suggestion.objects.create(
        consultation=consultation,
        reference=f"S{secrets.token_hex(5).upper()}",
        title=title,
        text=text,
        public_title=mask_text(title, names=names),
        public_text=mask_text(text, names=names),
        author_name=author_name.strip(),
        author_email=author_email.strip(),
        secret_hash=sha256_hex(secret),
        language=language,
        client_hash=client_hash,
        created_at=now,
    )
    ConsultationEvent.objects.create(
        consultation=consultation, suggestion=suggestion, action="suggest", actor_label="citizen", created_at=now
    )
    return SuggestionCreated(suggestion, secret)


def suggestion_get_by_secret(*, reference: str, secret: str) -> Suggestion:
    suggestion = Suggestion.objects.select_related("consultation").filter(reference=reference).first()
    if suggestion is None or not secret or not hmac.compare_digest(suggestion.secret_hash, sha256_hex(secret)):
        raise NotFound(_("No suggestion matches this reference and secret."))
    return suggestion


def _author(suggestion: Suggestion) -> list[tuple[str, str]]:
    return [(suggestion.author_email, suggestion.language)]


@transaction.atomic
def suggestion_moderate(
    *, suggestion_id: int, by, reason: str, note: str = "", now: datetime | None = None
) -> Suggestion:
    """Hide a suggestion from the public with a recorded reason, which its author sees on their private page."""
    now = now or timezone.now()
    suggestion = Suggestion.objects.select_related("consultation").filter(pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound(_("No such suggestion."))
    require_manage(by, suggestion.consultation)
    if reason not in ModerationReason.values:
        raise DomainError(_("Choose a moderation reason."))
    if suggestion.consultation.status == ConsultationStatus.ANSWERED:
        raise TransitionNotAllowed(_("The consultation is answered; its suggestions can no longer be moderated."))
    fields = {
        "moderation_reason": reason,
        "moderation_note": note.strip(),
        "moderated_by": by,
        "moderated_at": now,
        "group": None,
    }
    event = suggestion_transition(suggestion=suggestion, action="hide", by=by, at=now, reason=reason, fields=fields)

    def words():
        return (
            _("Your suggestion %(reference)s was not published") % {"reference": suggestion.reference},
            _("Reason: %(reason)s. %(note)s") % {"reason": ModerationReason(reason).label, "note": note.strip()},
        )

    notices_create(event=event, recipients=_author(suggestion), subject_body=words)
    # Hiding the last unanswered suggestion of a closed consultation completes it.
    complete_if_answered(suggestion.consultation, by, now)
    return suggestion


@transaction.atomic
def suggestion_restore(*, suggestion_id: int, by, now: datetime | None = None) -> Suggestion:
    now = now or timezone.now()
    suggestion = Suggestion.objects.select_related("consultation").filter(pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound(_("No such suggestion."))
    require_manage(by, suggestion.consultation)
    fields = {"moderation_reason": "", "moderated_by": by, "moderated_at": now}
    if suggestion.consultation.status == ConsultationStatus.CLOSED:
        # Back among the suggestions to answer: in a proposed group of its own, for the office to confirm.
        fields["group"] = SuggestionGroup.objects.create(
            consultation=suggestion.consultation, label=suggestion.public_title, created_at=now
        )
    suggestion_transition(suggestion=suggestion, action="restore", by=by, at=now, fields=fields)
    return suggestion
