"""Reads of consultations: public lists and pages, the office's work, themes and figures."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.grouping import propose_clusters
from consultations.models import (
    ADOPTING_OUTCOMES,
    Answer,
    Consultation,
    ConsultationStatus,
    ProgressUpdate,
    Suggestion,
    SuggestionGroup,
    SuggestionStatus,
    Support,
)
from consultations.services import may_manage
from portal.errors import NotFound

THEMES_CACHE_SECONDS = 600
LIVE_SUPPORTS = Count("supports", filter=Q(supports__voided_at__isnull=True))


def consultations_public(*, state: str = "open", now: datetime | None = None) -> QuerySet[Consultation]:
    """Open (accepting now) or closed consultations, with their numbers of published suggestions."""
    now = now or timezone.now()
    qs = Consultation.objects.select_related("department").annotate(
        suggestion_count=Count("suggestions", filter=Q(suggestions__status=SuggestionStatus.PUBLISHED))
    )
    if state == "closed":
        return qs.exclude(status=ConsultationStatus.OPEN).order_by("-closed_at", "-id")
    return qs.filter(status=ConsultationStatus.OPEN, opens_at__lte=now).order_by("closes_at", "id")


def consultation_get_public(*, pk: int, now: datetime | None = None) -> Consultation:
    now = now or timezone.now()
    consultation = (
        Consultation.objects.select_related("department")
        .prefetch_related("districts", "categories", "attachments")
        .filter(pk=pk)
        .filter(Q(opens_at__lte=now) | ~Q(status=ConsultationStatus.OPEN))
        .first()
    )
    if consultation is None:
        raise NotFound(_("No such consultation."))
    return consultation


def consultation_get_for_staff(*, user, pk: int) -> Consultation:
    """The consultation when ``user`` may manage it; the same 404 for "not yours" and "does not exist"."""
    consultation = Consultation.objects.select_related("department").filter(pk=pk).first()
    if consultation is None or not may_manage(user, consultation):
        raise NotFound(_("No such consultation."))
    return consultation


def consultations_for_staff(*, user) -> QuerySet[Consultation]:
    """The consultations ``user`` may manage, with the highest escalation level each reached."""
    qs = (
        Consultation.objects.select_related("department")
        .annotate(escalation_level=Max("escalations__level"))
        .order_by("-created_at", "-id")
    )
    if user.is_supervisor:
        return qs
    return qs.filter(department_id__in=user.department_ids())


def suggestions_public(*, consultation: Consultation) -> list[Suggestion]:
    """Published suggestions, masked text only, most supported first."""
    return list(
        Suggestion.objects.filter(consultation=consultation, status=SuggestionStatus.PUBLISHED)
        .annotate(support_count=LIVE_SUPPORTS)
        .only("reference", "public_title", "public_text", "created_at", "group_id", "consultation_id")
        .order_by("-support_count", "created_at", "id")
    )


def suggestions_for_staff(*, consultation: Consultation) -> list[Suggestion]:
    return list(
        Suggestion.objects.filter(consultation=consultation)
        .annotate(
            support_count=LIVE_SUPPORTS,
            flagged_count=Count("supports", filter=Q(supports__voided_at__isnull=True) & ~Q(supports__flags="")),
        )
        .select_related("group")
        .order_by("group_id", "created_at", "id")
    )


def supports_flagged(*, consultation: Consultation) -> QuerySet[Support]:
    """Supports the anomaly checks flagged, for the moderator (addresses are shown masked)."""
    return (
        Support.objects.filter(consultation=consultation)
        .exclude(flags="")
        .select_related("suggestion")
        .order_by("-created_at", "-id")
    )


def groups_with_answers(*, consultation: Consultation) -> list[SuggestionGroup]:
    members = Suggestion.objects.filter(status=SuggestionStatus.PUBLISHED).annotate(support_count=LIVE_SUPPORTS)
    answers = Answer.objects.prefetch_related(
        Prefetch("updates", queryset=ProgressUpdate.objects.order_by("created_at", "id"))
    )
    return list(
        SuggestionGroup.objects.filter(consultation=consultation)
        .prefetch_related(Prefetch("suggestions", queryset=members.order_by("created_at", "id")))
        .prefetch_related(Prefetch("answer", queryset=answers))
        .order_by("id")
    )


def consultation_themes(*, consultation: Consultation) -> list[dict]:
    """Themes: the groups (stored once the office grouped them, else proposed now), with counts and supports."""
    suggestions = suggestions_public(consultation=consultation)
    by_group: dict[int, list[Suggestion]] = {}
    if consultation.status != ConsultationStatus.OPEN and any(s.group_id for s in suggestions):
        for s in suggestions:
            by_group.setdefault(s.group_id or -s.pk, []).append(s)
        clusters = list(by_group.values())
        answers = {
            a.group_id: a
            for a in Answer.objects.filter(consultation=consultation).only("group_id", "outcome", "progress")
        }
        labels = dict(SuggestionGroup.objects.filter(consultation=consultation).values_list("pk", "label"))
    else:
        ordered = sorted(suggestions, key=lambda s: (s.created_at, s.pk))
        clusters = [[ordered[i] for i in cluster] for cluster in _clusters(ordered)]
        answers, labels = {}, {}
    themes = []
    for members in clusters:
        group_id = members[0].group_id
        answer = answers.get(group_id)
        themes.append(
            {
                "label": labels.get(group_id) or members[0].public_title,
                "count": len(members),
                "supports": sum(s.support_count for s in members),
                "suggestions": members,
                "answer": answer,
            }
        )
    return sorted(themes, key=lambda t: (-t["count"], -t["supports"], t["label"]))


def _clusters(ordered: list[Suggestion]) -> list[list[int]]:
    """Proposed clusters of published suggestions, cached: their public text never changes, so the ids are the key."""
    ids = ",".join(str(s.pk) for s in ordered)
    key = "consultation-themes:" + hashlib.sha256(ids.encode()).hexdigest()
    try:
        cached = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is an optimisation; compute without it
        cached = None
    if cached is not None:
        return cached
    clusters = propose_clusters([f"{s.public_title} {s.public_text}" for s in ordered])
    try:
        cache.set(key, clusters, THEMES_CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        pass
    return clusters


# --- figures for oversight ----------------------------------------------------------------------------------------


def office_figures(*, start: datetime, end: datetime) -> list[dict]:
    """Per answering office: consultations whose answers fell due in [start, end) or were answered then;
    how many were answered on time, and the share of answered groups adopted (fully or partly)."""
    consultations = list(
        Consultation.objects.filter(answer_due_at__isnull=False)
        .filter(Q(answer_due_at__gte=start, answer_due_at__lt=end) | Q(answered_at__gte=start, answered_at__lt=end))
        .select_related("department")
    )
    answers = (
        Answer.objects.filter(consultation__in=consultations)
        .values("department_id")
        .annotate(
            n=Count("id"),
            adopted=Count("id", filter=Q(outcome__in=ADOPTING_OUTCOMES)),
            done=Count("id", filter=Q(progress="done")),
        )
    )
    by_answers = {row["department_id"]: row for row in answers}
    rows: dict[int, dict] = {}
    now = timezone.now()
    for c in consultations:
        row = rows.setdefault(
            c.department_id,
            {"department": c.department, "consultations": 0, "on_time": 0, "late": 0, "open_overdue": 0},
        )
        row["consultations"] += 1
        if c.answered_at is not None:
            row["on_time" if c.answered_at <= c.answer_due_at else "late"] += 1
        elif c.answer_due_at < now:
            row["open_overdue"] += 1
    for department_id, row in rows.items():
        counted = by_answers.get(department_id, {"n": 0, "adopted": 0, "done": 0})
        row["answers"], row["adopted"], row["done"] = counted["n"], counted["adopted"], counted["done"]
        due = row["on_time"] + row["late"] + row["open_overdue"]
        row["on_time_rate"] = row["on_time"] / due * 100 if due else None
        row["adoption_rate"] = row["adopted"] / row["answers"] * 100 if row["answers"] else None
    return sorted(rows.values(), key=lambda r: (-(r["on_time_rate"] or 0), r["department"].code))


def digest_rows(*, first_day: date, last_day: date, start: datetime, end: datetime) -> list[dict]:
    """Consultations open, closed or answered during the period, with their top theme."""
    consultations = (
        Consultation.objects.filter(opens_at__lt=end)
        .filter(Q(closes_at__gte=start) | Q(answered_at__gte=start) | Q(status=ConsultationStatus.CLOSED))
        .select_related("department")
        .annotate(
            suggestion_count=Count(
                "suggestions", filter=Q(suggestions__status=SuggestionStatus.PUBLISHED), distinct=True
            ),
            support_count=Count("supports", filter=Q(supports__voided_at__isnull=True), distinct=True),
            escalation_level=Max("escalations__level"),
        )
        .order_by("-support_count", "id")[:10]
    )
    rows = []
    for c in consultations:
        themes = consultation_themes(consultation=c)
        adopted = Answer.objects.filter(consultation=c, outcome__in=ADOPTING_OUTCOMES).count()
        rows.append({"consultation": c, "themes": themes[:3], "adopted": adopted})
    return rows
