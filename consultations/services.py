"""Every write of consultations: open, close, suggest, moderate, support, group, answer, progress.

Services take keyword-only arguments and the acting user (``by``), run in one
transaction, and raise a ``portal.errors.DomainError`` with a message a user
can read; when they raise, nothing has changed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import deadlines
from consultations.grouping import propose_clusters
from consultations.models import (
    ADOPTING_OUTCOMES,
    Answer,
    Consultation,
    ConsultationAttachment,
    ConsultationEvent,
    ConsultationStatus,
    ModerationReason,
    Outcome,
    Progress,
    ProgressUpdate,
    Suggestion,
    SuggestionGroup,
    SuggestionStatus,
    Support,
    SupportVerification,
)
from consultations.notices import notices_create
from consultations.workflow import consultation_transition, suggestion_transition
from feedback.masking import mask_text
from feedback.ratelimit import rate_limit_check
from portal.errors import DomainError, NotFound, PermissionDenied, TransitionNotAllowed

# Anti-scripting limits (per hour unless said otherwise).
SUGGESTIONS_PER_CLIENT = 10
SUPPORT_REQUESTS_PER_CLIENT = 30
SUPPORT_CODES_PER_ADDRESS = 5
CODE_MINUTES = 15
CODE_ATTEMPTS = 5
# Anomaly flags the moderator sees on a support.
SAME_ADDRESS_WINDOW = timedelta(hours=1)
SAME_ADDRESS_LIMIT = 3  # earlier supports in this consultation from the same network address
BURST_WINDOW = timedelta(minutes=10)
BURST_LIMIT = 20  # supports of one suggestion in the window


class RateLimited(DomainError):
    status_code = 429


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _keyed(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode("utf-8"), hashlib.sha256).hexdigest()


def normalized_address(email: str) -> str:
    """The mailbox an address reaches: lower case, without a ``+tag`` (one person, one identity)."""
    local, _at, domain = email.strip().lower().partition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def identity_hash(*, consultation_id: int, email: str) -> str:
    """Keyed by the consultation: one person's supports in two consultations do not link."""
    return _keyed(f"support:{consultation_id}:{normalized_address(email)}")


def may_manage(user, consultation: Consultation) -> bool:
    """Supervisors, and members of the answering office."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_supervisor or consultation.department_id in user.department_ids()


def _require_manage(user, consultation: Consultation) -> None:
    if not may_manage(user, consultation):
        # The same answer as for a consultation that does not exist.
        raise NotFound(_("No such consultation."))


def _locked(consultation_id: int) -> Consultation:
    consultation = Consultation.objects.select_for_update().filter(pk=consultation_id).first()
    if consultation is None:
        raise NotFound(_("No such consultation."))
    return consultation


# --- consultations ------------------------------------------------------------------------------------------------


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
    consultation = _locked(consultation_id)
    if by is not None:
        _require_manage(by, consultation)
    fields = {"closed_at": now, **deadlines.answer_deadline_fields(consultation, now)}
    if consultation.closes_at > now:
        fields["closes_at"] = max(now, consultation.opens_at + timedelta(seconds=1))
    consultation_transition(consultation=consultation, action="close", by=by, at=now, fields=fields)
    _groups_propose(consultation, now)
    _complete_if_answered(consultation, by, now)
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


# --- suggestions --------------------------------------------------------------------------------------------------


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
        secret_hash=_hash(secret),
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
    if suggestion is None or not secret or not hmac.compare_digest(suggestion.secret_hash, _hash(secret)):
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
    _require_manage(by, suggestion.consultation)
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
    _complete_if_answered(suggestion.consultation, by, now)
    return suggestion


@transaction.atomic
def suggestion_restore(*, suggestion_id: int, by, now: datetime | None = None) -> Suggestion:
    now = now or timezone.now()
    suggestion = Suggestion.objects.select_related("consultation").filter(pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound(_("No such suggestion."))
    _require_manage(by, suggestion.consultation)
    fields = {"moderation_reason": "", "moderated_by": by, "moderated_at": now}
    if suggestion.consultation.status == ConsultationStatus.CLOSED:
        # Back among the suggestions to answer: in a proposed group of its own, for the office to confirm.
        fields["group"] = SuggestionGroup.objects.create(
            consultation=suggestion.consultation, label=suggestion.public_title, created_at=now
        )
    suggestion_transition(suggestion=suggestion, action="restore", by=by, at=now, fields=fields)
    return suggestion


# --- supports ------------------------------------------------------------------------------------------------------


@dataclass
class SupportRequested:
    verification: SupportVerification
    code: str


@transaction.atomic
def support_request(
    *, suggestion_reference: str, email: str, client_hash: str = "", now: datetime | None = None
) -> SupportRequested:
    """Start a support: a six-digit code is e-mailed to ``email``; the support counts once it is confirmed."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    now = now or timezone.now()
    suggestion = (
        Suggestion.objects.select_related("consultation")
        .filter(reference=suggestion_reference, status=SuggestionStatus.PUBLISHED)
        .first()
    )
    if suggestion is None:
        raise NotFound(_("No such suggestion."))
    if suggestion.consultation.status != ConsultationStatus.OPEN:
        raise TransitionNotAllowed(_("Supports are counted only while the consultation is open."))
    try:
        validate_email(email.strip())
    except ValidationError:
        raise DomainError(_("Enter a valid e-mail address.")) from None
    identity = identity_hash(consultation_id=suggestion.consultation_id, email=email)
    if (
        client_hash
        and not rate_limit_check(scope="consult-support", key=client_hash, limit=SUPPORT_REQUESTS_PER_CLIENT).allowed
    ):
        raise RateLimited(_("Too many supports from your connection. Please try again later."))
    if not rate_limit_check(scope="consult-code", key=identity[:32], limit=SUPPORT_CODES_PER_ADDRESS).allowed:
        raise RateLimited(_("Too many codes were sent to this address. Please try again later."))
    # Whether this address already supports the suggestion is told only to whoever reads its mail (at confirm).
    code = f"{secrets.randbelow(10**6):06d}"
    token = secrets.token_urlsafe(24)
    verification = SupportVerification.objects.create(
        suggestion=suggestion,
        email=email.strip(),
        token=token,
        code_hash=_keyed(f"{token}:{code}"),
        client_hash=client_hash,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
        created_at=now,
    )
    address, subject = email.strip(), _("Your code to support a suggestion: %(code)s") % {"code": code}
    body = _(
        "Enter the code %(code)s within %(minutes)d minutes to support “%(title)s”. "
        "If you did not ask for it, ignore this message."
    ) % {"code": code, "minutes": CODE_MINUTES, "title": suggestion.public_title}
    transaction.on_commit(lambda: _mail_code(subject, body, address))
    return SupportRequested(verification, code)


def _mail_code(subject: str, body: str, address: str) -> None:
    from django.core.mail import send_mail

    send_mail(subject, body, None, [address], fail_silently=True)


def support_confirm(*, token: str, code: str, now: datetime | None = None) -> Support:
    """Count the support once the e-mailed code matches; one support per verified address and suggestion.

    Every try uses up one of ``CODE_ATTEMPTS`` first (a conditional UPDATE, kept
    even when the code is wrong), so guessing the code is bounded.
    """
    now = now or timezone.now()
    used = SupportVerification.objects.filter(
        token=token or "-", confirmed_at__isnull=True, attempts__lt=CODE_ATTEMPTS, expires_at__gt=now
    ).update(attempts=F("attempts") + 1)
    if used != 1:
        raise DomainError(_("This code has expired. Ask for a new one."))
    with transaction.atomic():
        verification = (
            SupportVerification.objects.select_for_update().select_related("suggestion__consultation").get(token=token)
        )
        if verification.confirmed_at is not None or not hmac.compare_digest(
            verification.code_hash, _keyed(f"{verification.token}:{(code or '').strip()}")
        ):
            raise DomainError(_("The code is not right."))
        suggestion = verification.suggestion
        consultation = suggestion.consultation
        if consultation.status != ConsultationStatus.OPEN or suggestion.status != SuggestionStatus.PUBLISHED:
            raise TransitionNotAllowed(_("Supports are counted only while the consultation is open."))
        identity = identity_hash(consultation_id=consultation.pk, email=verification.email)
        flags = _anomaly_flags(suggestion, verification.client_hash, now)
        try:
            with transaction.atomic():
                support = Support.objects.create(
                    consultation=consultation,
                    suggestion=suggestion,
                    identity_hash=identity,
                    email=verification.email,
                    client_hash=verification.client_hash,
                    flags=",".join(flags),
                    created_at=now,
                )
        except IntegrityError:
            raise TransitionNotAllowed(_("This address has already supported this suggestion.")) from None
        verification.confirmed_at = now
        verification.save(update_fields=["confirmed_at"])
        ConsultationEvent.objects.create(
            consultation=consultation,
            suggestion=suggestion,
            action="support",
            actor_label="citizen",
            reason=",".join(flags),
            created_at=now,
        )
    return support


def _anomaly_flags(suggestion: Suggestion, client_hash: str, now: datetime) -> list[str]:
    flags = []
    if client_hash:
        same_address = Support.objects.filter(
            consultation_id=suggestion.consultation_id,
            client_hash=client_hash,
            created_at__gte=now - SAME_ADDRESS_WINDOW,
        ).count()
        if same_address >= SAME_ADDRESS_LIMIT:
            flags.append("same_address")
    burst = Support.objects.filter(suggestion=suggestion, created_at__gte=now - BURST_WINDOW).count()
    if burst >= BURST_LIMIT:
        flags.append("burst")
    return flags


@transaction.atomic
def support_void(*, support_id: int, by, reason: str, now: datetime | None = None) -> Support:
    """A moderator takes a support out of the count (scripted voting), with a reason. It stays on record."""
    now = now or timezone.now()
    support = Support.objects.select_related("consultation").filter(pk=support_id).first()
    if support is None:
        raise NotFound(_("No such support."))
    _require_manage(by, support.consultation)
    if not reason.strip():
        raise DomainError(_("Give a reason for voiding the support."))
    changed = Support.objects.filter(pk=support.pk, voided_at__isnull=True).update(
        voided_at=now, voided_by=by, void_reason=reason.strip()[:200]
    )
    if changed != 1:
        raise TransitionNotAllowed(_("This support is already void."))
    ConsultationEvent.objects.create(
        consultation=support.consultation,
        suggestion_id=support.suggestion_id,
        action="void_support",
        actor=by,
        actor_label=by.username,
        reason=reason.strip(),
        created_at=now,
    )
    support.refresh_from_db()
    return support


# --- grouping and answers ------------------------------------------------------------------------------------------


def _groups_propose(consultation: Consultation, now: datetime) -> list[SuggestionGroup]:
    """Replace unconfirmed groups by a fresh proposal over the published, ungrouped suggestions."""
    SuggestionGroup.objects.filter(consultation=consultation, confirmed_at__isnull=True).delete()
    pending = list(
        Suggestion.objects.filter(consultation=consultation, status=SuggestionStatus.PUBLISHED, group__isnull=True)
    )
    groups = []
    for cluster in propose_clusters([f"{s.title} {s.text}" for s in pending]):
        members = [pending[i] for i in cluster]
        group = SuggestionGroup.objects.create(consultation=consultation, label=members[0].public_title, created_at=now)
        Suggestion.objects.filter(pk__in=[s.pk for s in members]).update(group=group)
        groups.append(group)
    return groups


@transaction.atomic
def suggestion_regroup(*, suggestion_id: int, by, group_id: int | None) -> Suggestion:
    """Move a suggestion into another unconfirmed group of its consultation, or into a group of its own."""
    suggestion = Suggestion.objects.select_related("consultation").filter(pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound(_("No such suggestion."))
    consultation = _locked(suggestion.consultation_id)
    _require_manage(by, consultation)
    if consultation.status != ConsultationStatus.CLOSED:
        raise TransitionNotAllowed(_("Suggestions are grouped after the consultation closes."))
    if (
        suggestion.group_id
        and SuggestionGroup.objects.filter(pk=suggestion.group_id, confirmed_at__isnull=False).exists()
    ):
        raise TransitionNotAllowed(_("This suggestion's group is already confirmed."))
    if group_id is None:
        group = SuggestionGroup.objects.create(consultation=consultation, label=suggestion.public_title)
    else:
        group = SuggestionGroup.objects.filter(
            pk=group_id, consultation=consultation, confirmed_at__isnull=True
        ).first()
        if group is None:
            raise DomainError(_("Choose an unconfirmed group of this consultation."))
    old_group_id = suggestion.group_id
    suggestion.group = group
    suggestion.save(update_fields=["group"])
    if old_group_id and not Suggestion.objects.filter(group_id=old_group_id).exists():
        SuggestionGroup.objects.filter(pk=old_group_id).delete()
    return suggestion


@transaction.atomic
def groups_confirm(*, consultation_id: int, by, now: datetime | None = None) -> int:
    """The office confirms the proposed grouping; answers can then be given per group."""
    now = now or timezone.now()
    consultation = _locked(consultation_id)
    _require_manage(by, consultation)
    if consultation.status != ConsultationStatus.CLOSED:
        raise TransitionNotAllowed(_("Suggestions are grouped after the consultation closes."))
    # Published suggestions restored after the proposal join a group of their own.
    for suggestion in Suggestion.objects.filter(
        consultation=consultation, status=SuggestionStatus.PUBLISHED, group__isnull=True
    ):
        group = SuggestionGroup.objects.create(consultation=consultation, label=suggestion.public_title)
        Suggestion.objects.filter(pk=suggestion.pk).update(group=group)
    confirmed = SuggestionGroup.objects.filter(consultation=consultation, confirmed_at__isnull=True).update(
        confirmed_at=now, confirmed_by=by
    )
    ConsultationEvent.objects.create(
        consultation=consultation, action="confirm_groups", actor=by, actor_label=by.username, created_at=now
    )
    return confirmed


def _followers(group_id: int) -> list[tuple[str, str]]:
    """Authors and (non-void) supporters of the published suggestions of a group."""
    suggestions = Suggestion.objects.filter(group_id=group_id, status=SuggestionStatus.PUBLISHED)
    people = [(s.author_email, s.language) for s in suggestions]
    people += [
        (email, "")
        for email in Support.objects.filter(suggestion__in=suggestions, voided_at__isnull=True).values_list(
            "email", flat=True
        )
    ]
    return people


@transaction.atomic
def group_answer(*, group_id: int, by, outcome: str, reason: str, now: datetime | None = None) -> Answer:
    """The office's answer to one confirmed group. When every group is answered, the consultation is answered."""
    now = now or timezone.now()
    group = SuggestionGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise NotFound(_("No such group."))
    consultation = _locked(group.consultation_id)
    _require_manage(by, consultation)
    if consultation.status != ConsultationStatus.CLOSED:
        raise TransitionNotAllowed(_("Answers are given after the consultation closes, until all are answered."))
    if group.confirmed_at is None:
        raise TransitionNotAllowed(_("Confirm the grouping before answering."))
    if outcome not in Outcome.values:
        raise DomainError(_("Choose an outcome."))
    if not reason.strip():
        raise DomainError(_("Give the reasons for the answer."))
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                group=group,
                consultation=consultation,
                department_id=consultation.department_id,
                outcome=outcome,
                reason=reason.strip(),
                progress=Progress.PLANNED if outcome in ADOPTING_OUTCOMES else "",
                answered_by=by,
                answered_at=now,
            )
    except IntegrityError:
        raise TransitionNotAllowed(_("This group is already answered.")) from None
    event = ConsultationEvent.objects.create(
        consultation=consultation,
        answer=answer,
        action="answer",
        actor=by,
        actor_label=by.username,
        to_status=outcome,
        reason=reason.strip(),
        created_at=now,
    )

    def words():
        values = {"title": consultation.title, "theme": group.label, "outcome": Outcome(outcome).label}
        return (
            _("Consultation “%(title)s”: your suggestion was answered") % values,
            _("The office answered “%(theme)s”: %(outcome)s.") % values + "\n\n" + reason.strip(),
        )

    notices_create(event=event, recipients=_followers(group.pk), subject_body=words)
    _complete_if_answered(consultation, by, now)
    return answer


def _complete_if_answered(consultation: Consultation, by, now: datetime) -> None:
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


PROGRESS_ORDER = [Progress.PLANNED, Progress.IN_PROGRESS, Progress.DONE]


@transaction.atomic
def answer_progress(*, answer_id: int, by, progress: str, text: str, now: datetime | None = None) -> ProgressUpdate:
    """A public progress update on an adopted idea; "done" is the last. Authors and supporters are told."""
    now = now or timezone.now()
    answer = Answer.objects.select_for_update().select_related("consultation", "group").filter(pk=answer_id).first()
    if answer is None:
        raise NotFound(_("No such answer."))
    _require_manage(by, answer.consultation)
    if answer.outcome not in ADOPTING_OUTCOMES:
        raise TransitionNotAllowed(_("Only adopted suggestions get progress updates."))
    if progress not in Progress.values:
        raise DomainError(_("Choose a progress step."))
    if answer.progress == Progress.DONE:
        raise TransitionNotAllowed(_("This adopted suggestion is already done."))
    if PROGRESS_ORDER.index(progress) < PROGRESS_ORDER.index(answer.progress or Progress.PLANNED):
        raise TransitionNotAllowed(_("Progress cannot go back."))
    if not text.strip():
        raise DomainError(_("Describe the progress."))
    update = ProgressUpdate.objects.create(
        answer=answer, progress=progress, text=text.strip(), created_by=by, created_at=now
    )
    fields = ["progress"]
    answer.progress = progress
    if progress == Progress.DONE:
        answer.done_at = now
        fields.append("done_at")
    answer.save(update_fields=fields)
    event = ConsultationEvent.objects.create(
        consultation=answer.consultation,
        answer=answer,
        action="progress",
        actor=by,
        actor_label=by.username,
        to_status=progress,
        reason=text.strip(),
        created_at=now,
    )

    def words():
        values = {"theme": answer.group.label, "progress": Progress(progress).label}
        return (
            _("Adopted suggestion “%(theme)s”: %(progress)s") % values,
            _("Progress on “%(theme)s”: %(progress)s.") % values + "\n\n" + text.strip(),
        )

    notices_create(event=event, recipients=_followers(answer.group_id), subject_body=words)
    return update


# --- retention -----------------------------------------------------------------------------------------------------


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
