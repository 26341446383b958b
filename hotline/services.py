"""Logging a call: one intake (``feedback.services.submission_create``), then the operator's one decision.

A call starts when the operator looks the caller's number up: the console
gets a signed token holding the number, the operator and the server's time,
so the call's start is the server's and cannot be edited on the way. Logging
the call creates the case on the phone channel and, in the same transaction,
dispatches it to the chosen department, sends it to a dispatcher, or answers
it from a knowledge-base article. Any refusal rolls everything back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from casework.triage import dispatch_to
from city.models import Category, Department, District
from feedback.models import Channel, Kind, Submission
from feedback.phones import phone_normalize, phone_spellings
from feedback.services import submission_create
from feedback.workflow import Action, case_transition
from hotline.models import Call, Outcome
from knowledge.models import Article
from knowledge.services import case_answer_from_article
from portal.errors import DomainError, NotFound, PermissionDenied
from routing.services import routing_decide

SALT = "hotline.call"
# A call token older than this is refused: the operator looks the number up again.
CALL_MAX_AGE = timedelta(hours=4)


class CallInvalid(DomainError):
    """The call cannot be logged as entered (the message says why); nothing was written."""


def _require_operator(user) -> None:
    if not getattr(user, "is_operator", False):
        raise PermissionDenied(_("Only hotline operators log calls."))


def call_start(*, operator, number: str, now: datetime | None = None) -> tuple[str, str]:
    """Start a call from ``number``: its E.164 form and the signed token that carries the start time.

    Raises ``CallInvalid`` (in the operator's language) for a number that is not a phone number.
    """
    _require_operator(operator)
    try:
        e164 = phone_normalize(number)
    except ValidationError as error:
        raise CallInvalid(" ".join(str(m) for m in error.messages)) from None
    now = now or timezone.now()
    token = signing.dumps({"n": e164, "u": operator.pk, "t": now.isoformat()}, salt=SALT)
    return e164, token


def _call_opened(token: str, operator) -> tuple[str, datetime]:
    try:
        data = signing.loads(token or "", salt=SALT, max_age=CALL_MAX_AGE)
    except signing.BadSignature:
        raise CallInvalid(_("The call's start was lost: look the caller's number up again.")) from None
    started = parse_datetime(str(data.get("t", "")))
    if data.get("u") != operator.pk or started is None:
        raise CallInvalid(_("The call's start was lost: look the caller's number up again."))
    return str(data["n"]), started


@dataclass(frozen=True)
class Logged:
    call: Call
    submission: Submission
    secret: str


def _get(model, value, message: str, field: str = "code"):
    if value in (None, ""):
        return None
    row = model.objects.filter(**{field: value}).first()
    if row is None:
        raise NotFound(message)
    return row


def call_log(
    *,
    operator,
    call_token: str,
    data: dict[str, Any],
    outcome: str,
    department_id: int | None = None,
    article_id: int | None = None,
    repeat_of_id: int | None = None,
    now: datetime | None = None,
) -> Logged:
    """Log one call and act on it; returns the call, its case and the case's secret for the caller.

    ``data`` holds ``title``, ``text``, ``kind`` and optionally ``category`` and
    ``district`` codes, ``name`` and ``address``.
    """
    _require_operator(operator)
    number, started = _call_opened(call_token, operator)
    now = now or timezone.now()
    text = (data.get("text") or "").strip()
    title = (data.get("title") or "").strip()
    if not text and not title:
        raise CallInvalid(_("The call is empty: write down what the caller wants before logging it."))
    text = text or title
    title = (title or text.splitlines()[0])[:120]
    if outcome not in Outcome.values:
        raise CallInvalid(_("Choose what to do with the call: dispatch, send to a dispatcher, or answer."))
    kind = Kind.CONSULTATION if outcome == Outcome.ANSWERED else (data.get("kind") or Kind.COMPLAINT)
    if kind not in Kind.values:
        raise CallInvalid(_("Choose the kind of call."))
    fields = {
        "kind": kind,
        "title": title,
        "text": text,
        "phone": number,
        "name": (data.get("name") or "").strip()[:60],
        "address": (data.get("address") or "").strip()[:200],
        "category": _get(Category, data.get("category"), _("That category does not exist.")),
        "district": _get(District, data.get("district"), _("That district does not exist.")),
    }
    department = None
    if outcome == Outcome.DISPATCHED:
        department = Department.objects.filter(pk=department_id or 0, is_active=True).first()
        if department is None:
            raise CallInvalid(_("Choose the department to dispatch the call to."))
    article = None
    if outcome == Outcome.ANSWERED:
        article = Article.objects.filter(pk=article_id or 0).first()
        if article is None:
            raise CallInvalid(_("Choose the knowledge-base article the caller was answered from."))
    # Only one of the same caller's cases can be the one called about again.
    repeat_of = (
        Submission.objects.filter(pk=repeat_of_id, phone__in=phone_spellings(number)).first() if repeat_of_id else None
    )

    with transaction.atomic():
        submission, secret, _created = submission_create(
            data=fields, channel=Channel.PHONE, language=str(data.get("language") or "zh-hans"), now=now
        )
        assert secret is not None  # a new case always has one
        if department is not None:
            dispatch_to(
                submission_id=submission.pk,
                action=Action.CALL_DISPATCH,
                actor=operator,
                lead=department,
                co=[],
                reason="",
                payload={"channel": Channel.PHONE},
                expected_version=None,
                now=now,
            )
        elif article is not None:
            case_answer_from_article(submission_id=submission.pk, article_id=article.pk, actor=operator, now=now)
        else:
            # The dispatcher sees the suggester's advice on the triage page, as for a routed case.
            case_transition(
                submission_id=submission.pk,
                action=Action.SEND_TO_TRIAGE,
                actor=operator,
                payload={**routing_decide(submission).payload(), "channel": Channel.PHONE},
                now=now,
            )
        call = Call.objects.create(
            operator=operator,
            caller_number=number,
            started_at=min(started, now),
            ended_at=now,
            outcome=outcome,
            submission=submission,
            department=department,
            article=article,
            repeat_of=repeat_of,
        )
    submission.refresh_from_db()
    return Logged(call, submission, secret)
