"""Reads for the operator console: the caller's earlier cases and what the portal suggests as the operator types."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from city.models import Category, Department, District
from feedback.models import OPEN_STATUSES, Submission
from feedback.phones import phone_spellings
from knowledge import selectors as knowledge
from knowledge.search import words
from routing.services import routing_decide

HISTORY_SIZE = 10
# An earlier case of the same caller counts as the same complaint again (重复来电) when it is still open, or
# closed within this many days, and shares this share of its words with what the operator is typing.
REPEAT_DAYS = 60
REPEAT_OVERLAP = 0.25


def caller_history(number: str, *, limit: int = HISTORY_SIZE) -> list[Submission]:
    """The caller's earlier cases, newest first (any spelling the number was stored under)."""
    return list(
        Submission.objects.filter(phone__in=phone_spellings(number))
        .select_related("lead_department", "category")
        .order_by("-created_at")[:limit]
    )


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def repeat_candidates(
    history: list[Submission], title: str, text: str, *, now: datetime | None = None
) -> list[Submission]:
    """The earlier cases this call is likely a repeat of, most similar first."""
    now = now or timezone.now()
    mine = set(words(f"{title} {text}"))
    scored = []
    for case in history:
        if case.status not in OPEN_STATUSES and (case.closed_at or case.created_at) < now - timedelta(days=REPEAT_DAYS):
            continue
        score = _overlap(mine, set(words(f"{case.title} {case.text}")))
        if score >= REPEAT_OVERLAP:
            scored.append((score, case))
    return [case for _score, case in sorted(scored, key=lambda pair: -pair[0])]


@dataclass
class Assist:
    """What the console shows beside the operator's typing."""

    departments: list[tuple[Department, float]] = field(default_factory=list)
    category: Category | None = None
    district: District | None = None
    articles: list = field(default_factory=list)
    repeats: list[Submission] = field(default_factory=list)


def _district_in(text: str) -> District | None:
    for district in District.objects.all():
        for name in (district.name_zh, district.name_zh.removesuffix("区").removesuffix("县"), district.name_en):
            if len(name) >= 2 and name.lower() in text.lower():
                return district
    return None


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _category_for(department: Department, text: str) -> Category | None:
    """The department's category whose name shares most with the text (its first category when none does)."""
    categories = list(Category.objects.filter(default_department=department, parent__isnull=False))
    if not categories:
        return Category.objects.filter(default_department=department).first()
    grams = _bigrams(text)
    best = max(categories, key=lambda c: (len(grams & _bigrams(c.name_zh)), -c.sort_order))
    return best


def call_assist(*, title: str, text: str, kind: str, history: list[Submission] | None = None) -> Assist:
    """Top three departments from the routing suggester, the likely category and district, matching articles."""
    assist = Assist()
    if not (title.strip() or text.strip()):
        return assist
    draft = Submission(title=title, text=text, kind=kind or "complaint")
    decision = routing_decide(draft)
    codes = [code for code, _score in decision.suggestions[:3]]
    if decision.department and decision.department not in codes:
        codes = [decision.department, *codes[:2]]
    found = Department.objects.in_bulk(codes, field_name="code")
    scores = dict(decision.suggestions)
    assist.departments = [(found[c], scores.get(c, 1.0)) for c in codes if c in found]
    whole = f"{title} {text}"
    if assist.departments:
        assist.category = _category_for(assist.departments[0][0], whole)
    assist.district = _district_in(whole)
    assist.articles = knowledge.articles_search(whole, limit=3)
    assist.repeats = repeat_candidates(history or [], title, text)
    return assist
