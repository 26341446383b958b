"""The closed loop's sweep: warnings, escalation levels and cases closed as not rated.

One SQL statement per batch finds the open, running deadlines whose next
ladder level has fallen due (a range scan of the partial index on
``next_check_at``), locks them with ``SKIP LOCKED`` so concurrent sweeps split
the work, records every level reached with ``INSERT … ON CONFLICT DO NOTHING``
against the unique constraint (deadline, level), writes one ``CaseEvent`` and
the notification rows for exactly the escalations inserted, and moves each
deadline's pointer to its next level. Notifications are sent after commit.
Run it twice, or from two workers at once: every level is recorded once.

A backlog (more than a batch due: after an outage, a holiday's end, a
surge) is swept on ``DEADLINE_SWEEP_CONNECTIONS`` database
connections at once; ``SKIP LOCKED`` splits the rows between them. The
usual minute, with a few rows or none due, stays one batch on the caller's
connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import cast

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Membership, User
from deadlines.models import Deadline, DeadlinePolicy, Escalation, EscalationLevel, Step
from deadlines.services import DEFAULT_INSTRUCTIONS
from feedback.models import CaseEvent, CloseReason, Notification, Submission
from feedback.notifications import notifications_enqueue
from feedback.workflow import Action, case_transition
from portal.errors import DomainError

log = logging.getLogger(__name__)
MAX_BATCHES = 1000

ACTIONS = {
    EscalationLevel.WARNING: Action.ESCALATE_WARNING,
    EscalationLevel.REMINDER: Action.ESCALATE_REMINDER,
    EscalationLevel.HEAD: Action.ESCALATE_HEAD,
    EscalationLevel.SUPERVISION: Action.ESCALATE_SUPERVISION,
    EscalationLevel.CRITICISM: Action.ESCALATE_CRITICISM,
}


def _messages() -> tuple[list[str], list[str]]:
    """Subject and body templates per level (PostgreSQL ``format``: case number, due time)."""
    with translation.override(settings.LANGUAGE_CODE):
        subjects = [
            _("Deadline warning: case %s is due at %s"),
            _("Overdue: case %s was due at %s"),
            _("Overdue case %s reported to the department head (due %s)"),
            _("Supervision order on case %s (due %s)"),
            _("Public criticism: case %s (due %s)"),
        ]
        body = _("Case %s was due at %s. Open it in Minsheng to act on it.")
    return [str(s) for s in subjects], [str(body)] * len(subjects)


def _sweep_sql() -> str:
    deadline, escalation = Deadline._meta.db_table, Escalation._meta.db_table
    policy, event, note = DeadlinePolicy._meta.db_table, CaseEvent._meta.db_table, Notification._meta.db_table
    member, user, case = Membership._meta.db_table, User._meta.db_table, Submission._meta.db_table
    # Casework's table, reached through the case's reverse relation: deadlines sit below casework.
    assignment = cast(type[Model], Submission._meta.get_field("assignments").related_model)._meta.db_table
    return f"""
WITH due AS (
    SELECT d.id, d.submission_id, d.step, d.department_id, d.due_at, d.next_level, d.max_level, d.policy_id,
           s.tracking_number,
           -- The named handler (承办人), else whoever signed for the case.
           (SELECT COALESCE(a.handler_id, a.signed_for_by_id) FROM {assignment} a
            WHERE a.submission_id = d.submission_id AND a.role = 'lead' AND a.status = 'signed_for'
              AND COALESCE(a.handler_id, a.signed_for_by_id) IS NOT NULL
            ORDER BY a.id DESC LIMIT 1) AS handler_id,
           COALESCE(d.escalation_period, interval '24 hours') AS period,
           CASE WHEN %(now)s < d.due_at THEN 0
                ELSE LEAST(d.max_level, 1 + floor(
                    extract(epoch FROM (%(now)s - d.due_at))
                    / extract(epoch FROM COALESCE(d.escalation_period, interval '24 hours')))::int)
           END AS target
    FROM {deadline} d JOIN {case} s ON s.id = d.submission_id
    WHERE d.is_open AND d.paused_at IS NULL AND d.next_check_at IS NOT NULL AND d.next_check_at <= %(now)s
    ORDER BY d.next_check_at, d.id
    LIMIT %(batch)s
    FOR UPDATE OF d SKIP LOCKED
), advanced AS (
    UPDATE {deadline} d
    SET next_level = due.target + 1,
        next_check_at = CASE WHEN due.target + 1 > due.max_level THEN NULL
                             ELSE due.due_at + due.period * due.target END
    FROM due
    -- The ANY lets the planner probe the primary key instead of hashing the whole table.
    WHERE d.id = due.id AND d.id = ANY (ARRAY(SELECT id FROM due))
    RETURNING d.id
), inserted AS (
    INSERT INTO {escalation} (submission_id, deadline_id, step, level, department_id, due_at, instructions, created_at)
    SELECT due.submission_id, due.id, due.step, lvl, due.department_id, due.due_at,
           CASE WHEN lvl = 3 THEN COALESCE(p.supervision_instructions, %(instructions)s) ELSE '' END, %(now)s
    FROM due
    JOIN (VALUES (0), (1), (2), (3), (4)) AS levels (lvl)
      ON lvl BETWEEN (CASE WHEN due.target = 0 THEN 0 ELSE GREATEST(due.next_level, 1) END) AND due.target
    LEFT JOIN {policy} p ON p.id = due.policy_id
    ON CONFLICT DO NOTHING
    RETURNING id, submission_id, deadline_id, step, level, department_id, due_at, instructions
), events AS (
    INSERT INTO {event} (submission_id, kind, action, actor_label, from_status, to_status, reason, payload,
                         is_public, created_at)
    SELECT i.submission_id, 'escalation', (%(actions)s::text[])[i.level + 1], 'system', '', '', i.instructions,
           jsonb_build_object('escalation', i.id, 'level', i.level, 'step', i.step, 'deadline', i.deadline_id,
                              'department', i.department_id, 'due_at', i.due_at, 'tracking_number',
                              due.tracking_number, 'handler', due.handler_id),
           i.level = 4, %(now)s
    FROM inserted i JOIN due ON due.id = i.deadline_id
    RETURNING id, submission_id, payload
), recipients AS (
    SELECT e.id AS event_id, (e.payload->>'level')::int AS level, e.payload->>'tracking_number' AS tracking,
           (e.payload->>'due_at') AS due, u.id AS user_id
    FROM events e
    JOIN {member} m ON m.department_id = (e.payload->>'department')::bigint
    JOIN {user} u ON u.id = m.user_id AND u.is_active
    WHERE ((e.payload->>'level')::int IN (0, 1) AND e.payload->>'handler' IS NULL)
       OR ((e.payload->>'level')::int = 2 AND (m.is_head OR u.role = 'head'))
    UNION
    -- The warning and the first overdue reminder go to the case's handler first, when there is one;
    -- the department head hears at the next level.
    SELECT e.id, (e.payload->>'level')::int, e.payload->>'tracking_number', (e.payload->>'due_at'), u.id
    FROM events e
    JOIN {user} u ON u.id = (e.payload->>'handler')::bigint AND u.is_active
    WHERE (e.payload->>'level')::int IN (0, 1)
    UNION
    SELECT e.id, (e.payload->>'level')::int, e.payload->>'tracking_number', (e.payload->>'due_at'), u.id
    FROM events e
    JOIN {user} u ON u.role IN ('supervisor', 'administrator') AND u.is_active
    WHERE (e.payload->>'level')::int >= 3
), notes AS (
    INSERT INTO {note} (event_id, recipient_id, recipient_email, recipient_phone, channel, subject, body, created_at,
                        attempts, last_error)
    SELECT r.event_id, r.user_id, '', '', 'email',
           left(format((%(subjects)s::text[])[r.level + 1], r.tracking, to_char(
                (r.due::timestamptz AT TIME ZONE %(tz)s), 'YYYY-MM-DD HH24:MI')), 200),
           format((%(bodies)s::text[])[r.level + 1], r.tracking, to_char(
                (r.due::timestamptz AT TIME ZONE %(tz)s), 'YYYY-MM-DD HH24:MI')),
           %(now)s, 0, ''
    FROM recipients r
    ON CONFLICT DO NOTHING
    RETURNING id
)
SELECT (SELECT count(*) FROM advanced), (SELECT count(*) FROM inserted),
       (SELECT COALESCE(array_agg(id ORDER BY id), '{{}}') FROM notes)
"""


@dataclass
class SweepResult:
    deadlines: int = 0
    escalations: int = 0
    notifications: list[int] = field(default_factory=list)
    closed_not_rated: int = 0
    batches: int = 0
    connections: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "deadlines": self.deadlines,
            "escalations": self.escalations,
            "notifications": len(self.notifications),
            "closed_not_rated": self.closed_not_rated,
            "batches": self.batches,
            "connections": self.connections,
        }

    def add(self, other: SweepResult) -> None:
        self.deadlines += other.deadlines
        self.escalations += other.escalations
        self.notifications += other.notifications
        self.batches += other.batches


def _batches(
    sql: str, params: dict, send: Callable[[list[int]], None], *, limit: int = MAX_BATCHES, close: bool = False
) -> SweepResult:
    """Run batches on this thread's connection until one comes back short (or ``limit`` batches ran)."""
    result = SweepResult()
    try:
        for _batch in range(limit):
            with transaction.atomic():
                with connection.cursor() as cursor:
                    # Compiling this small statement costs more than running it.
                    cursor.execute("SET LOCAL jit = off")
                    cursor.execute(sql, params)
                    picked, inserted, note_ids = cursor.fetchone()
                if note_ids:
                    transaction.on_commit(partial(send, list(note_ids)))
            result.batches += 1
            result.deadlines += picked
            result.escalations += inserted
            result.notifications += list(note_ids)
            if picked < params["batch"]:
                break
    finally:
        if close:  # a helper thread's own connection
            connections.close_all()
    return result


def _due_at_most(now: datetime, batch_size: int) -> int:
    """How many deadlines have a level due, counted up to one more than a batch (the sweep's index, no locks)."""
    return (
        Deadline.objects.filter(is_open=True, paused_at__isnull=True, next_check_at__lte=now)
        .values("id")[: batch_size + 1]
        .count()
    )


def escalations_sweep(
    *,
    now: datetime | None = None,
    batch_size: int | None = None,
    send: Callable[[list[int]], None] | None = None,
    parallel: int | None = None,
) -> SweepResult:
    """Record every warning and escalation level due at ``now``, once, and notify after commit.

    Each batch is its own transaction: a worker killed between batches loses
    nothing (the next sweep picks up where it stopped) and repeats nothing.
    Called inside a transaction, it stays on that transaction's connection
    (the others could not see its rows).
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.MINSHENG["DEADLINE_SWEEP_BATCH"]
    parallel = parallel or settings.MINSHENG["DEADLINE_SWEEP_CONNECTIONS"]
    send = send or notifications_enqueue
    subjects, bodies = _messages()
    params = {
        "now": now,
        "batch": batch_size,
        "actions": [ACTIONS[level].value for level in EscalationLevel],  # type: ignore[misc]  # stubs: enum iteration
        "instructions": DEFAULT_INSTRUCTIONS,  # for deadlines computed from the built-in defaults
        "subjects": subjects,
        "bodies": bodies,
        "tz": settings.TIME_ZONE,
    }
    sql = _sweep_sql()
    if parallel == 1 or connection.in_atomic_block or _due_at_most(now, batch_size) <= batch_size:
        result = _batches(sql, params, send)
        result.connections = 1
        return result
    # A backlog (more than a batch due): this connection and parallel - 1 more take batches until each comes
    # back short.
    result = SweepResult()
    with ThreadPoolExecutor(max_workers=parallel - 1, thread_name_prefix="sweep") as pool:
        helpers = [pool.submit(_batches, sql, params, send, close=True) for _ in range(parallel - 1)]
        result.add(_batches(sql, params, send))
        for helper in helpers:
            result.add(helper.result())
    result.connections = parallel
    return result


def not_rated_close(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Close, as not rated, the replied cases whose rating window has ended."""

    now = now or timezone.now()
    submission_ids = list(
        Deadline.objects.filter(is_open=True, step=Step.RATING, due_at__lte=now, paused_at__isnull=True)
        .order_by("due_at")
        .values_list("submission_id", flat=True)[:limit]
    )

    def mark(case: Submission) -> None:
        case.close_reason = CloseReason.NOT_RATED
        case.closed_at = now

    closed = 0
    for submission_id in submission_ids:
        try:
            case_transition(
                submission_id=submission_id, action=Action.CLOSE_NOT_RATED, as_system=True, apply=mark, now=now
            )
            closed += 1
        except DomainError:
            # Rated or reopened meanwhile: the window is over either way.
            Deadline.objects.filter(submission_id=submission_id, step=Step.RATING, is_open=True).update(
                is_open=False, completed_at=now
            )
    return closed


def deadlines_sweep(*, now: datetime | None = None, send: Callable[[list[int]], None] | None = None) -> SweepResult:
    """The whole periodic job: escalations first, then cases closed as not rated."""
    now = now or timezone.now()
    result = escalations_sweep(now=now, send=send)
    result.closed_not_rated = not_rated_close(now=now)
    return result
