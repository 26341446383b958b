"""Seed the demo city with a lived-in past: ``history_seed`` plans it and plays it through the services.

The whole history is written in one transaction: a database either has all
of it or none of it, and a second run finds it there and does nothing.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from demo.plan import TOKEN_PREFIX, plan_history
from demo.simulation import Simulation
from feedback.models import CaseEvent, Notification, Submission
from oversight.services import rollup_refresh
from portal.celery import app
from surges.models import SurgeAlert, SurgeAlertNotification

# (days, mean cases per working day). "full" is about three months; "small" (a month, enough to rank
# every office) is what ``seed_demo`` loads.
SIZES = {"full": (90, 24), "small": (30, 16), "tiny": (12, 10)}
DEFAULT_SEED = 2026


@dataclass
class HistoryResult:
    created: bool
    cases: int = 0
    seconds: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    surge_alerts: int = 0


def history_exists() -> bool:

    return Submission.objects.filter(client_token__startswith=TOKEN_PREFIX).exists()


@contextmanager
def tasks_run_inline():
    """Run the tasks the services enqueue after commit in this process instead of queueing them.

    The history routes every case itself and its messages were delivered when
    they happened (see ``_history_messages_delivered``), so each task finds its
    work done and returns: thousands of broker messages, or a wait on a
    broker that is not running yet, are saved.
    """

    before = app.conf.task_always_eager
    trace_log = logging.getLogger("celery.app.trace")
    level = trace_log.level
    app.conf.task_always_eager = True
    trace_log.setLevel(logging.WARNING)  # not one "task succeeded" line per case
    try:
        yield
    finally:
        app.conf.task_always_eager = before
        trace_log.setLevel(level)


def history_seed(*, days: int, per_day: int, seed: int = DEFAULT_SEED, now: datetime | None = None) -> HistoryResult:
    """Play ``days`` days of the city's life up to ``now`` through the real services. Idempotent.

    Requires the demo city (``demo.city.seed_demo``). Returns what was
    made; ``created`` is False when a history was already there.
    """

    if history_exists():
        return HistoryResult(
            created=False, cases=Submission.objects.filter(client_token__startswith=TOKEN_PREFIX).count()
        )
    began = time.monotonic()
    end = (now or timezone.now()).replace(second=0, microsecond=0)
    first_day = timezone.localtime(end).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=days)
    plans = plan_history(seed=seed, first_day=first_day, days=days, per_day=per_day, end=end)
    from maps.demo import maps_demo_seed

    with tasks_run_inline(), transaction.atomic():
        maps_demo_seed()  # the district outlines first: every case gets a pin inside its district
        simulation = Simulation(plans=plans, start=first_day, end=end, seed=seed)
        refused = simulation.run()
        case_ids = list(simulation.case_ids.values())
        _history_messages_delivered(case_ids, end)
        _rollup(first_day, end)

    statuses = Counter(Submission.objects.filter(pk__in=case_ids).values_list("status", flat=True))
    return HistoryResult(
        created=True,
        cases=len(case_ids),
        seconds=time.monotonic() - began,
        statuses=dict(statuses),
        refused=dict(refused),
        surge_alerts=SurgeAlert.objects.count(),
    )


def _history_messages_delivered(case_ids: list[int], end: datetime) -> None:
    """Mark the history's notifications as delivered when their event happened (read, if older than two days).

    Otherwise the first worker would mail thousands of stale messages and every
    inbox would start with them unread.
    """

    happened = Subquery(CaseEvent.objects.filter(pk=OuterRef("event_id")).values("created_at")[:1])
    notes = Notification.objects.filter(event__submission_id__in=case_ids, sent_at__isnull=True)
    notes.update(sent_at=happened, created_at=happened)
    Notification.objects.filter(
        event__submission_id__in=case_ids, recipient__isnull=False, created_at__lt=end - timedelta(days=2)
    ).update(read_at=happened)
    raised = Subquery(SurgeAlertNotification.objects.filter(pk=OuterRef("pk")).values("alert__raised_at")[:1])
    SurgeAlertNotification.objects.filter(sent_at__isnull=True, alert__members__submission_id__in=case_ids).update(
        sent_at=raised
    )


def _rollup(first_day: datetime, end: datetime) -> None:
    """Fill the KPI rollup for the history's days, as the workers' refresh would."""

    rollup_refresh(first_day=first_day.date(), last_day=timezone.localdate(end), now=timezone.now())
