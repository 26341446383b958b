"""Writes on the citizen side: submitting, answering requests for material, rating, reopening."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from contextlib import nullcontext
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import (
    Attachment,
    CaseEvent,
    CloseReason,
    EventKind,
    MaterialRequest,
    Rating,
    Reply,
    Satisfaction,
    Status,
    Submission,
)
from feedback.notifications import enqueue_for_event
from feedback.workflow import Action, case_transition, event_written
from portal.cleaning import case_text_normalised
from portal.errors import TransitionNotAllowed
from portal.outbox import outbox_in_process, outbox_notify_sql
from portal.rawinsert import insert_parts

log = logging.getLogger(__name__)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(submission: Submission, secret: str) -> bool:
    return bool(secret) and hmac.compare_digest(submission.secret_hash, hash_secret(secret))


# Days whose sequence this process already made sure of (an optimisation only:
# _next_from_day_sequence copes with a sequence that is missing after all).
_DAYS_WITH_SEQUENCE: set[date] = set()


def _day_sequence_name(day: date) -> str:
    return f"feedback_tracking_{day:%Y%m%d}"


def _day_sequence_create(day: date) -> None:
    """Create the PostgreSQL sequence numbering ``day``'s submissions, if it is missing.

    It starts after any number already given that day (e.g. under the
    counter-row scheme). Two processes may race to create it; the loser's
    error means it exists.
    """
    prefix = f"{settings.MINSHENG['TRACKING_PREFIX']}{day:%Y%m%d}-"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(MAX(CAST(SUBSTRING(tracking_number FROM %s) AS integer)), 0) "
                "FROM feedback_submission WHERE tracking_number LIKE %s",
                [len(prefix) + 1, prefix + "%"],
            )
            (start,) = cursor.fetchone()
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {_day_sequence_name(day)} START WITH {int(start) + 1}")
    except DatabaseError:
        pass


def _next_from_day_sequence(day: date) -> int:
    name = _day_sequence_name(day)
    # One round trip; the cast inside CASE only runs when the sequence exists.
    sql = "SELECT CASE WHEN to_regclass(%s) IS NULL THEN NULL ELSE nextval(%s::text::regclass) END"
    with connection.cursor() as cursor:
        cursor.execute(sql, [name, name])
        (value,) = cursor.fetchone()
        if value is None:
            _day_sequence_create(day)
            cursor.execute(sql, [name, name])
            (value,) = cursor.fetchone()
    return value


def tracking_number_next(*, day: date) -> str:
    """The next tracking number of ``day``, e.g. ``QH20261122-000123``; unique under concurrency.

    A PostgreSQL sequence per day hands out numbers without any lock, so
    concurrent submissions never wait for each other (a rolled-back
    submission leaves a gap).
    """
    prefix = settings.MINSHENG["TRACKING_PREFIX"]
    return f"{prefix}{day:%Y%m%d}-{_next_from_day_sequence(day):06d}"


def _submission_insert_sql(submission: Submission, event: CaseEvent, sequence: str) -> tuple[str, list[Any]]:
    """One statement: number the case, insert it and its first event, and announce it on commit.

    The tracking number comes from the day's sequence inside the INSERT; a
    repeated ``client_token`` inserts nothing (``ON CONFLICT``), so the caller
    finds the earlier case without a savepoint. The ``pg_notify`` is the
    outbox's (``portal.outbox``): delivered only if the transaction commits.
    """
    prefix = f"{submission.tracking_number}"  # the day's prefix, e.g. QH20261122-
    number = "%s || lpad(n.v::text, greatest(6, length(n.v::text)), '0')"
    sub_cols, sub_values, sub_params = insert_parts(submission, sql={"tracking_number": (number, [prefix])})
    event_cols, event_values, event_params = insert_parts(event, sql={"submission_id": ("s.id", [])})
    table, events = Submission._meta.db_table, CaseEvent._meta.db_table
    statement = f"""
        WITH n AS (SELECT CASE WHEN to_regclass(%s) IS NULL THEN NULL ELSE nextval(%s::text::regclass) END AS v),
        s AS (INSERT INTO {table} ({sub_cols}) SELECT {sub_values} FROM n WHERE n.v IS NOT NULL
              ON CONFLICT (client_token) DO NOTHING RETURNING id, tracking_number),
        e AS (INSERT INTO {events} ({event_cols}) SELECT {event_values} FROM s RETURNING id)
        SELECT (SELECT v FROM n), s.id, s.tracking_number, e.id,
               CASE WHEN s.id IS NOT NULL THEN {outbox_notify_sql("'s:' || s.id")} END
        FROM (SELECT 1) AS one LEFT JOIN s ON true LEFT JOIN e ON true
    """
    return statement, [sequence, sequence, *sub_params, *event_params]


def submission_create(
    *,
    data: dict[str, Any],
    client_token: str | None = None,
    channel: str = "web",
    language: str = "zh-hans",
    now: datetime | None = None,
) -> tuple[Submission, str | None, bool]:
    """Save a validated submission with its tracking number in one transaction.

    Returns ``(submission, secret, created)``. When ``client_token`` was seen
    before, the earlier submission is returned with ``created=False`` and no
    secret (double submission creates one case, not two). The request never
    talks to the broker: the insert announces the case on commit through the
    outbox (``portal.outbox``), the worker's listener has it routed within
    moments, and the routing sweep catches anything the listener missed. The
    reactions to the ``submit`` event (the confirmation e-mail) run in the
    worker too, before routing (``submission_received_react``).

    SQL: one statement (number, case, event, announcement) and nothing else;
    with files, BEGIN, the statement, one INSERT per file, COMMIT.
    """
    now = now or timezone.now()
    if client_token:
        existing = Submission.objects.filter(client_token=client_token).first()
        if existing is not None:
            return existing, None, False
    secret = secrets.token_urlsafe(24)  # 192 bits
    fields = {k: v for k, v in data.items() if k not in {"attachments", "same_as"}}
    for name in ("title", "text"):  # a right-to-left override would disguise the title everywhere it is shown
        if isinstance(fields.get(name), str):
            fields[name] = case_text_normalised(fields[name])
    local_day = timezone.localtime(now).date()
    if local_day not in _DAYS_WITH_SEQUENCE:
        # Outside the submission's transaction, so concurrent first submissions
        # of a day see the new sequence as soon as one of them created it.
        _day_sequence_create(local_day)
        _DAYS_WITH_SEQUENCE.add(local_day)
    prefix = f"{settings.MINSHENG['TRACKING_PREFIX']}{local_day:%Y%m%d}-"
    for attempt in range(2):
        submission = Submission(
            tracking_number=prefix,
            secret_hash=hash_secret(secret),
            client_token=client_token or None,
            channel=channel,
            language=language,
            created_at=now,
            status=Status.SUBMITTED,
            **fields,
        )
        event = CaseEvent(
            kind=EventKind.TRANSITION,
            action=Action.SUBMIT,
            actor_label="citizen",
            to_status=Status.SUBMITTED,
            is_public=True,
            created_at=now,
            # The citizen's "same problem as this nearby case" choice, followed by the maps app's hook.
            payload={"same_as": data["same_as"]} if data.get("same_as") else {},
        )
        statement, params = _submission_insert_sql(submission, event, _day_sequence_name(local_day))
        uploads = data.get("attachments") or []
        # Without files the one statement is the whole write (atomic on its own, committed
        # when it returns outside a caller's transaction); files join it in a transaction.
        with transaction.atomic() if uploads or fields.get("email") or fields.get("phone") else nullcontext():
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                number, pk, tracking_number, event_pk, _announced = cursor.fetchone()
            if pk is not None:
                submission.pk, submission.tracking_number, event.pk = pk, tracking_number, event_pk
                submission._state.adding = event._state.adding = False
                event.submission = submission
                for upload in uploads:
                    attachment_add(submission=submission, upload=upload, by_citizen=True)
                if submission.email or submission.phone:
                    # The receipt carries the private link, and only this request knows the secret: its
                    # rows are written now (one statement, announced through the outbox). The worker's
                    # ``submission_received_react`` later finds them recorded (``notification_once``).
                    event.tracking_secret = secret  # type: ignore[attr-defined]  # in memory only
                    enqueue_for_event(event)
        if pk is not None:
            outbox_in_process(f"s:{pk}")  # only where no worker listens by design (OUTBOX_IN_PROCESS)
            return submission, secret, True
        if number is not None:  # numbered, but the client_token was taken meanwhile: that case is the answer
            break
        if attempt:
            raise DatabaseError(f"no tracking number sequence for {local_day}")
        _day_sequence_create(local_day)  # the day's sequence is gone (e.g. rolled back with a transaction)
    existing = Submission.objects.filter(client_token=client_token).first()
    if existing is None:
        raise IntegrityError("client_token conflict without a submission")
    return existing, None, False


def submission_received_react(*, submission_id: int) -> bool:
    """Run the reactions to a case's ``submit`` event (its confirmation e-mail); False if it has left ``submitted``.

    Intake defers them out of the citizen's request: the worker runs this
    before routing the case (``routing.tasks``), from the outbox or from the
    routing sweep. A reaction to ``submit`` may therefore run more than once
    and must be idempotent (notifications are, by ``notification_once``).
    """
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
        if submission is None or submission.status != Status.SUBMITTED:
            return False
        event = CaseEvent.objects.filter(submission=submission, action=Action.SUBMIT).order_by("id").first()
        if event is None:
            return False
        event_written(submission, event, event.created_at)
    return True


def attachment_add(*, submission: Submission, upload, by_citizen: bool, reply=None) -> Attachment:
    """Store one file already checked by ``feedback.uploads.validate_uploads`` (``reply``: a department's file)."""
    return Attachment.objects.create(
        submission=submission,
        reply=reply,
        file=upload,
        original_name=str(getattr(upload, "original_name", None) or getattr(upload, "name", "file"))[:200],
        content_type=getattr(upload, "sniffed_type", "") or getattr(upload, "content_type", ""),
        size=upload.size,
        uploaded_by_citizen=by_citizen,
    )


RATING_WINDOW_DEFAULT = timedelta(days=7)
RATING_STEP = "rating"


def rating_window_end(submission: Submission) -> datetime | None:
    """When the citizen's chance to rate (and to ask for a reopen) ends.

    The rating deadline of the latest reply decides, whether it is still open
    or was closed by the rating; without one, seven days after the reply.
    """

    reply = submission.replies.order_by("-created_at", "-id").first()
    if reply is None:
        return None
    # Each reply starts a new rating deadline, so the latest one belongs to the latest reply.
    # (read through the reverse relation: intake does not import deadlines; "rating" is ``deadlines.Step.RATING``)
    deadline = submission.deadlines.filter(step=RATING_STEP).order_by("-started_at", "-id").first()
    return deadline.due_at if deadline is not None else reply.created_at + RATING_WINDOW_DEFAULT


def rating_submit(
    *,
    submission_id: int,
    satisfaction: str,
    is_resolved: bool,
    comment: str = "",
    rated_by=None,
    now: datetime | None = None,
) -> Rating:
    """Record the citizen's rating of the latest reply and close the case.

    ``rated_by`` is a dispatcher who rates on the phone for the citizen; None
    means the citizen rated online. Raises ``TransitionNotAllowed`` when the
    case is not waiting for a rating.
    """
    if satisfaction not in Satisfaction.values:
        raise TransitionNotAllowed(_("Choose how satisfied you are."))
    now = now or timezone.now()
    created: list[Rating] = []

    def apply(case: Submission) -> None:
        reply = Reply.objects.filter(submission=case).order_by("-created_at", "-id").first()
        if reply is None or Rating.objects.filter(reply=reply).exists():
            raise TransitionNotAllowed(_("There is no reply to rate."))
        created.append(
            Rating.objects.create(
                submission=case,
                reply=reply,
                satisfaction=satisfaction,
                is_resolved=is_resolved,
                comment=comment.strip(),
                rated_by_dispatcher=rated_by,
                created_at=now,
            )
        )
        case.close_reason = CloseReason.RATED
        case.closed_at = now

    case_transition(
        submission_id=submission_id,
        action=Action.RATE,
        actor=rated_by,
        as_citizen=rated_by is None,
        payload={"satisfaction": satisfaction, "is_resolved": is_resolved},
        apply=apply,
        now=now,
    )
    return created[0]


def case_reopen(*, submission_id: int, reason: str, now: datetime | None = None) -> Submission:
    """The citizen sends an unsatisfactory answer back to be handled again (重办).

    Allowed only when the last rating of the latest reply is 'unsatisfied' and
    the rating window has not ended. The case goes back to the lead department
    with a new reply deadline.
    """
    reason = reason.strip()
    if not reason:
        raise TransitionNotAllowed(_("Say why the case should be handled again."))
    now = now or timezone.now()

    def apply(case: Submission) -> None:
        reply = Reply.objects.filter(submission=case).order_by("-created_at", "-id").first()
        rating = Rating.objects.filter(reply=reply).first() if reply else None
        if rating is None or rating.satisfaction != Satisfaction.UNSATISFIED:
            raise TransitionNotAllowed(_("Only an answer rated “unsatisfied” can be sent back to be handled again."))
        window_end = rating_window_end(case)
        if window_end is None or now > window_end:
            raise TransitionNotAllowed(_("The time to ask for the case to be handled again has passed."))
        case.reopen_count += 1
        case.close_reason = ""
        case.closed_at = None

    return case_transition(
        submission_id=submission_id, action=Action.REOPEN, as_citizen=True, reason=reason, apply=apply, now=now
    )


def material_answer(
    *, submission_id: int, answer: str, uploads: list | None = None, now: datetime | None = None
) -> MaterialRequest:
    """The citizen answers the open request for more material, with text and files.

    The case goes back to the department and its deadlines run again.
    """
    answer = answer.strip()
    if not answer:
        raise TransitionNotAllowed(_("Write an answer."))
    now = now or timezone.now()
    answered: list[MaterialRequest] = []

    def apply(case: Submission) -> None:
        request = (
            MaterialRequest.objects.select_for_update()
            .filter(submission=case, answered_at__isnull=True)
            .order_by("-asked_at", "-id")
            .first()
        )
        if request is None:
            raise TransitionNotAllowed(_("There is no open request for material."))
        request.answer = answer
        request.answered_at = now
        request.save(update_fields=["answer", "answered_at"])
        for upload in uploads or []:
            attachment_add(submission=case, upload=upload, by_citizen=True)
        answered.append(request)

    case_transition(
        submission_id=submission_id,
        action=Action.PROVIDE_MATERIAL,
        as_citizen=True,
        payload={"files": len(uploads or [])},
        apply=apply,
        now=now,
    )
    return answered[0]
