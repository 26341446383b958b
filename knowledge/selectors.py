"""Reads on the knowledge base: search for the hotline, each department's list, the reopenings for supervisors."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from knowledge.models import Article
from knowledge.search import Hit, search_ids


def articles_search(query: str, *, limit: int = 3, on: date | None = None) -> list[tuple[Article, Hit]]:
    """What an operator sees for ``query``: published articles valid today, best first."""
    hits = search_ids(query, limit=limit, valid_on=on or timezone.localdate())
    by_id = Article.objects.select_related("department", "category").in_bulk([h.article_id for h in hits])
    return [(by_id[h.article_id], h) for h in hits if h.article_id in by_id]


def articles_of(user) -> QuerySet[Article]:
    """The articles ``user`` keeps (their departments'); supervisors and administrators read them all."""
    qs = Article.objects.select_related("department", "category")
    if user.is_supervisor:
        return qs
    return qs.filter(department_id__in=user.department_ids())


def expired_for(user, *, today: date | None = None) -> QuerySet[Article]:
    """Published articles of ``user``'s departments whose validity has ended: hidden from operators until renewed."""
    today = today or timezone.localdate()
    return Article.objects.filter(
        department_id__in=user.department_ids(), is_published=True, valid_until__lt=today
    ).select_related("department")


def articles_with_reopenings() -> QuerySet[Article]:
    """Articles whose direct answers were sent back by citizens (重办), most reopenings first."""
    reopened = Q(uses__submission__reopen_count__gt=0)
    return (
        Article.objects.annotate(answered=Count("uses", distinct=True), reopened=Count("uses", filter=reopened))
        .filter(reopened__gt=0)
        .select_related("department")
        .order_by("-reopened", "-answered", "title")
    )
