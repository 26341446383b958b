"""The leaders' digest (网情动态): volumes, topics, hot spots, overdue departments, notable cases, surges."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.apps import apps
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from city.models import Category, Department, District
from feedback.models import CaseEvent, Submission
from feedback.workflow import Action
from oversight import extensions
from oversight.kpis import department_kpis, local_midnight, ranking
from oversight.selectors.buck_passing import buck_passing
from oversight.selectors.overdue import case_lines, overdue_cases, overdue_summary


def _counts(qs, key: str) -> dict:
    return dict(qs.values_list(key).annotate(n=Count("id")))


def digest_build(*, first_day: date, last_day: date, now: datetime) -> dict:
    """Everything the leaders' digest shows for local days first_day..last_day, compared with the period before."""
    length = (last_day - first_day).days + 1
    start, end = local_midnight(first_day), local_midnight(last_day + timedelta(days=1))
    prev_start = local_midnight(first_day - timedelta(days=length))
    current = Submission.objects.filter(created_at__gte=start, created_at__lt=end)
    previous = Submission.objects.filter(created_at__gte=prev_start, created_at__lt=start)
    roots = _category_roots()
    cat_now, cat_prev = topic_counts(current, roots=roots), topic_counts(previous, roots=roots)
    categories = {c.pk: c for c in Category.objects.filter(parent__isnull=True)}
    topics = [
        {"category": categories.get(pk), "count": n, "previous": cat_prev.get(pk, 0), "is_new": not cat_prev.get(pk)}
        for pk, n in sorted(cat_now.items(), key=lambda kv: -kv[1])
        if pk is not None
    ]
    districts = {d.pk: d for d in District.objects.all()}
    dist_now, dist_prev = place_counts(current), place_counts(previous)
    hot_spots = [
        {"district": districts.get(pk), "count": n, "previous": dist_prev.get(pk, 0)}
        for pk, n in sorted(dist_now.items(), key=lambda kv: -kv[1])
        if pk is not None
    ]
    total, total_prev = sum(dist_now.values()), sum(dist_prev.values())
    kpis = department_kpis(first_day, last_day, now=now)
    ranked, apart = ranking(kpis)
    overdue = overdue_summary(case_q=Q(), now=now)
    returns = buck_passing(case_q=Q(), first_day=first_day, last_day=last_day, now=now)["departments"]
    longest_overdue = list(
        overdue_cases(case_q=Q(), now=now, state="overdue").select_related("submission__lead_department")[:5]
    )
    # Cases reopened during the period (read from the reopen events, indexed by action and time), most reopened first.
    reopened_now = CaseEvent.objects.filter(action=Action.REOPEN, created_at__gte=start, created_at__lt=end)
    most_reopened = list(
        Submission.objects.filter(pk__in=reopened_now.values("submission_id"))
        .select_related("lead_department", "category")
        .order_by("-reopen_count", "created_at")[:5]
    )
    daily = list(
        current.annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    return {
        "first_day": first_day,
        "last_day": last_day,
        "previous_first_day": first_day - timedelta(days=length),
        "total": total,
        "total_previous": total_prev,
        "change": _change(total, total_prev),
        "daily": daily,
        "topics": topics[:10],
        "new_topics": [t for t in topics if t["is_new"]],
        "hot_spots": hot_spots[:10],
        "surge_alerts": surge_alerts(start, end),
        # Only departments with something overdue, or something returned: a list of zeros tells leaders nothing.
        "most_overdue": [e for e in overdue if e["overdue"]][:5],
        "most_returns": sorted((e for e in returns if e["returns"]), key=lambda e: -e["returns"])[:5],
        "city": kpis[None],
        "ranked": ranked,
        "apart": apart,
        "departments": Department.objects.in_bulk(),
        "longest_overdue": case_lines(longest_overdue, now),
        "most_reopened": most_reopened,
        "extra_sections": extensions.digest_sections(first_day=first_day, last_day=last_day, now=now),
    }


def topic_counts(submissions, *, roots: dict | None = None) -> dict:
    """``{top-level category id: cases}`` of ``submissions`` (the digest's topics; the front door's too)."""
    return _roll_to_roots(_counts(submissions, "category_id"), roots if roots is not None else _category_roots())


def place_counts(submissions) -> dict:
    """``{district id: cases}`` of ``submissions`` (the digest's hot spots; the front door's places)."""
    return _counts(submissions, "district_id")


def _change(now_count: int, prev_count: int) -> float | None:
    return None if not prev_count else (now_count - prev_count) / prev_count * 100


def _category_roots() -> dict:
    parents = dict(Category.objects.values_list("id", "parent_id"))

    def root(pk):
        seen = set()
        while parents.get(pk) and pk not in seen:
            seen.add(pk)
            pk = parents[pk]
        return pk

    return {pk: root(pk) for pk in parents}


def _roll_to_roots(counts: dict, roots: dict) -> dict:
    rolled: dict = {}
    for pk, n in counts.items():
        key = roots.get(pk, pk)
        rolled[key] = rolled.get(key, 0) + n
    return rolled


def surge_alerts(start: datetime, end: datetime) -> list:
    """Surge alerts raised in the period, when the ``surges`` app is installed."""
    if not apps.is_installed("surges"):
        return []
    try:
        model = apps.get_model("surges", "SurgeAlert")
    except LookupError:
        return []
    field_names = {f.name for f in model._meta.get_fields()}
    stamp = next((n for n in ("raised_at", "created_at", "first_at") if n in field_names), None)
    qs = model.objects.all()
    if stamp:
        qs = qs.filter(**{f"{stamp}__gte": start, f"{stamp}__lt": end}).order_by(f"-{stamp}")
    return list(qs[:20])


# --- public scoreboard -----------------------------------------------------------------------------------------------
