"""Reads for the front door (the public home page): the city at work this week.

Nothing is counted here. The figures are the public scoreboard's
(``oversight.kpis.department_kpis`` for the same days, whose city row the
scoreboard prints), the replies are the public board's (``board_list`` and its
masking ``board_entry``), and the topics and places are the digest's counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.utils import timezone, translation

from city.models import Category, District
from feedback.models import CloseReason, Submission
from feedback.selectors import board_entry, board_list
from oversight.kpis import department_kpis, local_midnight
from oversight.selectors import place_counts, topic_counts
from portal.public_cache import public_cache_key, public_cached

WEEK_DAYS = 7
LATEST_REPLIES = 4
TOP_TOPICS = 5
TOP_PLACES = 5


@dataclass
class FrontDoor:
    first_day: date
    last_day: date
    days: int
    city: object  # oversight.kpis.KpiRow for the whole city
    replies: list = field(default_factory=list)
    topics: list[dict] = field(default_factory=list)
    places: list[dict] = field(default_factory=list)
    consultations: list = field(default_factory=list)

    @property
    def received(self) -> int:
        return self.city.facts.get("received", 0)

    @property
    def answered(self) -> int:
        return self.city.facts.get("reply_done", 0)

    @property
    def on_time(self):
        return self.city.rates["on_time_reply"]

    @property
    def satisfaction(self):
        return self.city.rates["satisfaction"]


def week_period(today: date | None = None) -> tuple[date, date]:
    """The last seven local days, today included: the scoreboard's ``?days=7``."""
    today = today or timezone.localdate()
    return today - timedelta(days=WEEK_DAYS - 1), today


def front_door(*, today: date | None = None) -> FrontDoor:
    """The front door's week. Its figures (the city's row, topics, places) are the same for every visitor and
    kept for PUBLIC_CACHE_SECONDS; the latest replies and the open consultations are read on each visit, so no
    case (whose row holds the citizen's contact details) is ever put in the cache."""
    first_day, last_day = week_period(today)
    key = public_cache_key("front-door-figures", translation.get_language(), first_day.isoformat())
    figures = public_cached(key, lambda: week_figures(first_day, last_day))
    return FrontDoor(
        first_day=first_day,
        last_day=last_day,
        days=WEEK_DAYS,
        city=figures["city"],
        replies=[board_entry(s) for s in board_list()[:LATEST_REPLIES]],
        topics=figures["topics"],
        places=figures["places"],
        consultations=open_consultations(),
    )


def week_figures(first_day: date, last_day: date) -> dict:
    """The city's KPI row for the days, and the top topics and places of the cases received in them."""
    city = department_kpis(first_day, last_day)[None]
    received = Submission.objects.filter(
        created_at__gte=local_midnight(first_day), created_at__lt=local_midnight(last_day + timedelta(days=1))
    ).exclude(close_reason=CloseReason.SPAM)
    categories = {c.pk: c for c in Category.objects.filter(parent__isnull=True)}
    districts = {d.pk: d for d in District.objects.all()}
    return {
        "city": city,
        "topics": _ranked(topic_counts(received), categories, TOP_TOPICS, "category"),
        "places": _ranked(place_counts(received), districts, TOP_PLACES, "district"),
    }


def _ranked(counts: dict, names: dict, limit: int, key: str) -> list[dict]:
    rows = sorted(((n, pk) for pk, n in counts.items() if pk in names), key=lambda r: (-r[0], r[1]))[:limit]
    top = rows[0][0] if rows else 0
    return [{key: names[pk], "count": n, "top": top} for n, pk in rows]


def open_consultations(limit: int = 3) -> list:
    """Open consultations (征集 / 问计于民), shown first on the front door once the portal has them.

    Read through the consultations app's own public selector, so the front door
    lists exactly what its public list shows as open.
    """
    if not apps.is_installed("consultations"):
        return []
    from importlib import import_module

    selectors = import_module("consultations.selectors")
    return list(selectors.consultations_public(state="open")[:limit])
