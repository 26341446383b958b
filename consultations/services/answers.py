"""Grouping suggestions, answering each group, and the progress of adopted ideas until done."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.grouping import propose_clusters
from consultations.models import (
    ADOPTING_OUTCOMES,
    Answer,
    Consultation,
    ConsultationEvent,
    ConsultationStatus,
    Outcome,
    Progress,
    ProgressUpdate,
    Suggestion,
    SuggestionGroup,
    SuggestionStatus,
    Support,
)
from consultations.notices import notices_create
from consultations.services.common import complete_if_answered, consultation_locked, require_manage
from portal.errors import DomainError, NotFound, TransitionNotAllowed


def groups_propose(consultation: Consultation, now: datetime) -> list[SuggestionGroup]:
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
    consultation = consultation_locked(suggestion.consultation_id)
    require_manage(by, consultation)
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
    consultation = consultation_locked(consultation_id)
    require_manage(by, consultation)
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
    consultation = consultation_locked(group.consultation_id)
    require_manage(by, consultation)
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
    complete_if_answered(consultation, by, now)
    return answer


PROGRESS_ORDER = [Progress.PLANNED, Progress.IN_PROGRESS, Progress.DONE]


@transaction.atomic
def answer_progress(*, answer_id: int, by, progress: str, text: str, now: datetime | None = None) -> ProgressUpdate:
    """A public progress update on an adopted idea; "done" is the last. Authors and supporters are told."""
    now = now or timezone.now()
    answer = Answer.objects.select_for_update().select_related("consultation", "group").filter(pk=answer_id).first()
    if answer is None:
        raise NotFound(_("No such answer."))
    require_manage(by, answer.consultation)
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
