"""The answer deadline of a closed consultation and its escalation ladder.

The deadline comes from a deadline policy (the consultation's own, else the
default policy for complex matters, else the built-in default) and the working
calendar, through routing's ``compute_due``. The sweep records each level of
the ladder once: the consultation row is locked (``SKIP LOCKED``, so two
sweeps split the work) and a unique constraint on (consultation, due_at,
level) settles any race left.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, User
from city.models import Priority
from consultations.models import Consultation, ConsultationEscalation, ConsultationEvent, ConsultationStatus
from consultations.notices import notices_create
from deadlines.models import DeadlinePolicy
from deadlines.services import DEFAULT_POLICIES, compute_due

LEVEL_ACTIONS = ["escalate_warning", "escalate_reminder", "escalate_head", "escalate_supervision", "escalate_criticism"]


def answer_policy(consultation: Consultation) -> DeadlinePolicy:
    if consultation.deadline_policy_id:
        return consultation.deadline_policy
    policy = DeadlinePolicy.objects.filter(category__isnull=True, priority=Priority.COMPLEX).first()
    return policy or DeadlinePolicy(priority=Priority.COMPLEX, warn_percent=75, **DEFAULT_POLICIES[Priority.COMPLEX])


def answer_deadline_fields(consultation: Consultation, start: datetime) -> dict:
    """The answer deadline starting at ``start``, with the ladder pointed at its first level (fields to save)."""
    policy = answer_policy(consultation)
    computed = compute_due(
        start=start,
        amount=policy.reply_amount,
        unit=policy.reply_unit,
        warn_percent=policy.warn_percent,
        warn_hours_before=policy.warn_hours_before,
    )
    where = f"policy #{policy.pk} {policy}" if policy.pk else f"built-in default {policy.priority}"
    warns_first = computed.warn_at is not None and computed.warn_at < computed.due_at
    return {
        "answer_due_at": computed.due_at,
        "answer_warn_at": computed.warn_at,
        "answer_trace": f"answers · {where}: {computed.trace}",
        "escalation_period": timedelta(hours=policy.escalation_period_hours),
        "max_level": policy.escalation_levels,
        "next_level": 0 if warns_first else 1,
        "next_check_at": computed.warn_at if warns_first else computed.due_at,
    }


def _target_level(consultation: Consultation, now: datetime) -> int:
    if now < consultation.answer_due_at:
        return 0
    period = consultation.escalation_period or timedelta(hours=24)
    return min(consultation.max_level, 1 + int((now - consultation.answer_due_at) / period))


def _recipients(consultation: Consultation, level: int) -> list[tuple[str, str]]:
    """As for cases: the office's members (warning, level 1), its head (2), supervisors (3 and 4)."""
    if level >= 3:
        users = User.objects.filter(role__in=[Role.SUPERVISOR, Role.ADMINISTRATOR], is_active=True)
        return [(email, "") for email in users.values_list("email", flat=True)]
    members = Membership.objects.filter(department_id=consultation.department_id, user__is_active=True)
    if level == 2:
        members = members.filter(Q(is_head=True) | Q(user__role=Role.HEAD))
    return [(email, "") for email in members.values_list("user__email", flat=True)]


def _escalate_one(consultation: Consultation, now: datetime) -> int:
    target = _target_level(consultation, now)
    first = 0 if target == 0 else max(consultation.next_level, 1)
    recorded = 0
    for level in range(first, target + 1):
        try:
            with transaction.atomic():
                ConsultationEscalation.objects.create(
                    consultation=consultation, level=level, due_at=consultation.answer_due_at, created_at=now
                )
        except IntegrityError:
            continue  # recorded by an earlier sweep
        recorded += 1
        event = ConsultationEvent.objects.create(
            consultation=consultation, action=LEVEL_ACTIONS[level], actor_label="system", created_at=now
        )
        due = f"{timezone.localtime(consultation.answer_due_at):%Y-%m-%d %H:%M}"

        def words(level=level, due=due):
            subjects = [
                _("Answers due soon: consultation “%(title)s” is due at %(due)s"),
                _("Overdue: the answers to consultation “%(title)s” were due at %(due)s"),
                _("Overdue consultation “%(title)s” reported to the department head (due %(due)s)"),
                _("Supervision order on consultation “%(title)s” (due %(due)s)"),
                _("Public criticism: consultation “%(title)s” (due %(due)s)"),
            ]
            values = {"title": consultation.title, "due": due}
            body = _("The suggestions of consultation “%(title)s” must be answered by %(due)s.") % values
            return subjects[level] % values, body

        notices_create(event=event, recipients=_recipients(consultation, level), subject_body=words)
    consultation.next_level = target + 1
    period = consultation.escalation_period or timedelta(hours=24)
    consultation.next_check_at = (
        None if target + 1 > consultation.max_level else consultation.answer_due_at + period * target
    )
    consultation.save(update_fields=["next_level", "next_check_at"])
    return recorded


def escalations_sweep(*, now: datetime | None = None, batch_size: int = 200) -> int:
    """Record every warning and escalation level due at ``now`` for unanswered consultations, once."""
    now = now or timezone.now()
    recorded = 0
    while True:
        with transaction.atomic():
            due = list(
                Consultation.objects.select_for_update(skip_locked=True)
                .filter(status=ConsultationStatus.CLOSED, next_check_at__isnull=False, next_check_at__lte=now)
                .order_by("next_check_at", "id")[:batch_size]
            )
            for consultation in due:
                recorded += _escalate_one(consultation, now)
        if len(due) < batch_size:
            return recorded
