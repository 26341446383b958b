"""The vocabulary of a case's life: who may act, every action, and the one table that says what each does.

``Action`` names every value a ``CaseEvent.action`` may hold; ``ACTION_TABLE`` gives each one its
transition (from which statuses, to which, by whom), its deadline effect, who is told and the
buttons the staff pages show. ``feedback.workflow.engine`` is the one door that applies it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from feedback.models import Status

# Who may act. ``lead_staff`` is staff or head of the case's lead department;
# ``head`` the head of that department; ``supervisor`` includes administrators.
CITIZEN = "citizen"
SYSTEM = "system"
DISPATCHER = "dispatcher"
OPERATOR = "operator"  # a hotline operator (话务员) logging a call at intake
LEAD_STAFF = "lead_staff"
HEAD = "head"
SUPERVISOR = "supervisor"
# Roles that only decide which buttons a page shows (the services check the assignment themselves).
CO_TO_SIGN = "co_to_sign"  # a co-handling department that has not signed for its part yet
CO_HANDLER = "co_handler"  # a co-handling department with a live assignment
PARTY = "party"  # anyone on the desk or in a department that has (had) the case
DESK = frozenset({DISPATCHER, SUPERVISOR})

S = Status


class Action(models.TextChoices):
    """Every action a case event can record; the label is what a timeline shows."""

    SUBMIT = "submit", gettext_lazy("Received")
    ROUTE = "route", gettext_lazy("Assigned to a department")
    SEND_TO_TRIAGE = "send_to_triage", gettext_lazy("Sent to a dispatcher")
    DISPATCH = "dispatch", gettext_lazy("Assigned to a department")
    REDISPATCH = "redispatch", gettext_lazy("Transferred to another department")
    SIGN_FOR = "sign_for", gettext_lazy("Signed for by the department")
    REQUEST_MATERIAL = "request_material", gettext_lazy("More material requested")
    PROVIDE_MATERIAL = "provide_material", gettext_lazy("Material provided")
    RETURN = "return", gettext_lazy("Returned by the department")
    REJECT_RETURN = "reject_return", gettext_lazy("Return rejected")
    REPLY = "reply", gettext_lazy("Replied")
    RATE = "rate", gettext_lazy("Rated")
    CLOSE_NOT_RATED = "close_not_rated", gettext_lazy("Closed without a rating")
    REOPEN = "reopen", gettext_lazy("Reopened")
    MARK_INVALID = "mark_invalid", gettext_lazy("Closed as invalid")
    MARK_DUPLICATE = "mark_duplicate", gettext_lazy("Closed as a duplicate")
    MARK_SPAM = "mark_spam", gettext_lazy("Closed as spam")
    ASSIGN_HANDLER = "assign_handler", gettext_lazy("Handler assigned")
    NOTE = "note", gettext_lazy("Internal note")
    CONTACT_VIEWED = "contact_viewed", gettext_lazy("Contact details viewed")
    EXTENSION_REQUEST = "extension_request", gettext_lazy("Extension requested")
    EXTENSION_APPROVED = "extension_approved", gettext_lazy("Extension approved")
    EXTENSION_REJECTED = "extension_rejected", gettext_lazy("Extension rejected")
    CO_SIGN_FOR = "co_sign_for", gettext_lazy("Signed for by a co-handling department")
    CO_OPINION = "co_opinion", gettext_lazy("Co-handling opinion given")
    ESCALATE_MANUAL = "escalate_manual", gettext_lazy("Escalated by a supervisor")
    # Written by the deadline sweep (deadlines.escalation), one per level reached.
    ESCALATE_WARNING = "escalate_warning", gettext_lazy("Deadline warning")
    ESCALATE_REMINDER = "escalate_reminder", gettext_lazy("Overdue: reminder to the department")
    ESCALATE_HEAD = "escalate_head", gettext_lazy("Overdue: department head told")
    ESCALATE_SUPERVISION = "escalate_supervision", gettext_lazy("Supervision order issued")
    ESCALATE_CRITICISM = "escalate_criticism", gettext_lazy("Publicly criticised")
    EMAIL_LINK_USED = "email_link_used", gettext_lazy("Email link used")
    EMAIL_DELIVERY_FAILED = "email_delivery_failed", gettext_lazy("Email delivery failed")
    # The citizen's own actions on the tracking page (feedback/citizen_actions.py).
    URGE = "urge", gettext_lazy("Urged by the citizen")
    WITHDRAW = "withdraw", gettext_lazy("Withdrawn by the citizen")
    # The hotline (issue 18): the operator dispatches a call at intake, or answers it from the knowledge base.
    CALL_DISPATCH = "call_dispatch", gettext_lazy("Dispatched by the hotline operator")
    ANSWER_DIRECTLY = "answer_directly", gettext_lazy("Answered directly from the knowledge base")


class DeadlineEffect(enum.Enum):
    """What an action does to the case's deadlines (carried out by ``deadlines.services``)."""

    NONE = "none"
    ASSIGNED = "assigned"  # close the reply clock, start the sign-for clock
    SIGNED_FOR = "signed_for"  # close sign-for, start reply
    PAUSE = "pause"  # not the department's time: waiting for the citizen or for triage
    RESUME_AFTER_CITIZEN = "resume_after_citizen"  # record the citizen's wait, then resume
    RESUME = "resume"  # resume; a rejected return was the department's own doing
    REPLIED = "replied"  # record handling time, close reply, start the rating window
    REOPENED = "reopened"  # close the rating window, start a new reply clock
    CLOSED = "closed"  # close every clock


class Audience(enum.Enum):
    """Which staff hear about an action (``casework.notify`` turns this into users)."""

    NOBODY = "nobody"
    NEW_ASSIGNEES = "new_assignees"  # the departments just assigned (and email-only departments get mail)
    LEAD = "lead"  # the lead department
    LEAD_AND_SUPERVISORS = "lead_and_supervisors"
    DISPATCHERS = "dispatchers"
    DECIDERS = "deciders"  # the lead department's heads and the supervisors
    HANDLER = "handler"  # the person named as the case's handler (承办人) in the event


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    targets: frozenset[str]
    actors: frozenset[str]
    public: bool = True


@dataclass(frozen=True)
class Button:
    """A form on the staff case page (and the same action in the staff API).

    ``name`` is its URL slug; it is shown to users holding one of ``who`` while
    the case is in one of ``statuses`` (default: the transition's sources).
    """

    name: str
    who: frozenset[str]
    statuses: frozenset[str] | None = None


@dataclass(frozen=True)
class ActionRule:
    transition: Transition | None = None
    deadline: DeadlineEffect = DeadlineEffect.NONE
    notify: Audience = Audience.NOBODY
    buttons: tuple[Button, ...] = ()

    @property
    def public(self) -> bool:
        return self.transition is not None and self.transition.public


def _t(sources, targets, actors, *, public=True) -> Transition:
    return Transition(frozenset(sources), frozenset(targets), frozenset(actors), public)


def _b(name: str, who, statuses=None) -> Button:
    return Button(name, frozenset(who), frozenset(statuses) if statuses is not None else None)


A, D, N = Action, DeadlineEffect, Audience
OPEN = {S.SUBMITTED, S.TRIAGE, S.ASSIGNED, S.IN_PROGRESS, S.WAITING_CITIZEN, S.RETURNED, S.REPLIED}
DECIDABLE = {S.SUBMITTED, S.TRIAGE, S.RETURNED}
WITH_DEPARTMENT = {S.ASSIGNED, S.IN_PROGRESS}

ACTION_TABLE: dict[Action, ActionRule] = {
    A.SUBMIT: ActionRule(),
    A.ROUTE: ActionRule(_t({S.SUBMITTED}, {S.ASSIGNED}, {SYSTEM}), D.ASSIGNED, N.NEW_ASSIGNEES),
    A.SEND_TO_TRIAGE: ActionRule(_t({S.SUBMITTED}, {S.TRIAGE}, {SYSTEM, OPERATOR}, public=False)),
    A.DISPATCH: ActionRule(
        _t({S.TRIAGE, S.RETURNED}, {S.ASSIGNED}, DESK),
        D.ASSIGNED,
        N.NEW_ASSIGNEES,
        # From triage a plain dispatch; from a return the return is accepted first.
        (_b("dispatch", DESK, {S.TRIAGE}), _b("accept_return", DESK, {S.RETURNED})),
    ),
    A.REDISPATCH: ActionRule(
        _t(WITH_DEPARTMENT, {S.ASSIGNED}, DESK), D.ASSIGNED, N.NEW_ASSIGNEES, (_b("redispatch", DESK),)
    ),
    A.SIGN_FOR: ActionRule(
        _t({S.ASSIGNED}, {S.IN_PROGRESS}, {LEAD_STAFF}), D.SIGNED_FOR, buttons=(_b("sign_for", {LEAD_STAFF}),)
    ),
    A.REQUEST_MATERIAL: ActionRule(
        _t({S.IN_PROGRESS}, {S.WAITING_CITIZEN}, {LEAD_STAFF}),
        D.PAUSE,
        buttons=(_b("request_material", {LEAD_STAFF}),),
    ),
    A.PROVIDE_MATERIAL: ActionRule(_t({S.WAITING_CITIZEN}, {S.IN_PROGRESS}, {CITIZEN}), D.RESUME_AFTER_CITIZEN, N.LEAD),
    A.RETURN: ActionRule(
        _t(WITH_DEPARTMENT, {S.RETURNED}, {LEAD_STAFF}, public=False),
        D.PAUSE,
        N.DISPATCHERS,
        (_b("return", {LEAD_STAFF}),),
    ),
    # A rejected return goes back to the department, in the state it left.
    A.REJECT_RETURN: ActionRule(
        _t({S.RETURNED}, WITH_DEPARTMENT, DESK, public=False), D.RESUME, N.LEAD, (_b("reject_return", DESK),)
    ),
    A.REPLY: ActionRule(
        _t({S.IN_PROGRESS}, {S.REPLIED}, {LEAD_STAFF}), D.REPLIED, buttons=(_b("reply", {LEAD_STAFF}),)
    ),
    A.RATE: ActionRule(_t({S.REPLIED}, {S.CLOSED}, {CITIZEN, DISPATCHER}), D.CLOSED, N.LEAD),
    A.CLOSE_NOT_RATED: ActionRule(_t({S.REPLIED}, {S.CLOSED}, {SYSTEM}), D.CLOSED),
    A.REOPEN: ActionRule(
        _t({S.REPLIED, S.CLOSED}, {S.IN_PROGRESS}, {CITIZEN, DISPATCHER, SUPERVISOR}), D.REOPENED, N.LEAD
    ),
    A.MARK_INVALID: ActionRule(_t(DECIDABLE, {S.CLOSED}, DESK), D.CLOSED, buttons=(_b("mark_invalid", DESK),)),
    A.MARK_DUPLICATE: ActionRule(_t(DECIDABLE, {S.CLOSED}, DESK), D.CLOSED, buttons=(_b("mark_duplicate", DESK),)),
    A.MARK_SPAM: ActionRule(_t(DECIDABLE, {S.CLOSED}, DESK, public=False), D.CLOSED, buttons=(_b("mark_spam", DESK),)),
    # The head (or a dispatcher) names the handler (承办人) of a signed-for case; the status stays as it is.
    A.ASSIGN_HANDLER: ActionRule(
        _t({S.IN_PROGRESS, S.WAITING_CITIZEN}, {S.IN_PROGRESS, S.WAITING_CITIZEN}, {HEAD, DISPATCHER}, public=False),
        notify=N.HANDLER,
        buttons=(_b("assign_handler", {HEAD, DISPATCHER}),),
    ),
    A.NOTE: ActionRule(buttons=(_b("note", {PARTY}, set(Status.values)),)),
    A.CONTACT_VIEWED: ActionRule(),
    A.EXTENSION_REQUEST: ActionRule(
        notify=N.DECIDERS, buttons=(_b("extension", {LEAD_STAFF}, {S.IN_PROGRESS, S.WAITING_CITIZEN}),)
    ),
    A.EXTENSION_APPROVED: ActionRule(notify=N.LEAD),
    A.EXTENSION_REJECTED: ActionRule(notify=N.LEAD),
    A.CO_SIGN_FOR: ActionRule(buttons=(_b("co_sign_for", {CO_TO_SIGN}, set(Status.values)),)),
    A.CO_OPINION: ActionRule(buttons=(_b("opinion", {CO_HANDLER}, set(Status.values)),)),
    A.ESCALATE_MANUAL: ActionRule(notify=N.LEAD_AND_SUPERVISORS, buttons=(_b("escalate", {SUPERVISOR}, OPEN),)),
    # The sweep writes these rows and their notifications itself, in one SQL statement.
    A.ESCALATE_WARNING: ActionRule(),
    A.ESCALATE_REMINDER: ActionRule(),
    A.ESCALATE_HEAD: ActionRule(),
    A.ESCALATE_SUPERVISION: ActionRule(),
    A.ESCALATE_CRITICISM: ActionRule(),
    A.EMAIL_LINK_USED: ActionRule(),
    A.EMAIL_DELIVERY_FAILED: ActionRule(notify=N.DISPATCHERS),
    # An overdue case pressed by the citizen (催办), once per working day: the status and clocks stay.
    A.URGE: ActionRule(notify=N.LEAD_AND_SUPERVISORS),
    # Sent by mistake: the citizen takes it back before a department signed for it.
    A.WITHDRAW: ActionRule(_t({S.SUBMITTED, S.TRIAGE, S.ASSIGNED}, {S.CLOSED}, {CITIZEN}), D.CLOSED, N.LEAD),
    # The operator gives a call straight to the department the caller needs (no routing step, no triage).
    A.CALL_DISPATCH: ActionRule(_t({S.SUBMITTED}, {S.ASSIGNED}, {OPERATOR}), D.ASSIGNED, N.NEW_ASSIGNEES),
    # A question answered on the phone from a knowledge-base article (直接答复): the article is the reply, so
    # the citizen rates it (and may send it back to the article's department) like any other reply.
    A.ANSWER_DIRECTLY: ActionRule(_t({S.SUBMITTED}, {S.REPLIED}, {OPERATOR}), D.REPLIED),
}

# The status-changing part of the table, as the door reads it.
TRANSITIONS: dict[Action, Transition] = {a: r.transition for a, r in ACTION_TABLE.items() if r.transition}
# Every button, by its slug: the pages and the API run the same set.
BUTTONS: dict[str, tuple[Action, Button]] = {b.name: (a, b) for a, r in ACTION_TABLE.items() for b in r.buttons}
ASSIGNING_ACTIONS = frozenset(a for a, r in ACTION_TABLE.items() if r.deadline is D.ASSIGNED)
CLOSING_ACTIONS = frozenset(a for a, r in ACTION_TABLE.items() if r.deadline is D.CLOSED)


# Deciding a return (accept = dispatch elsewhere, or reject) passes to a
# supervisor once a case has bounced more than this many times.
SUPERVISOR_AFTER_BOUNCES = frozenset({A.DISPATCH, A.REJECT_RETURN})


def returns_before_supervisor() -> int:
    return int(settings.MINSHENG.get("RETURNS_BEFORE_SUPERVISOR", 2))


def action_label(action: str) -> str:
    """The readable name of an action; an unknown name (old rows) is shown as it is."""
    try:
        return str(Action(action).label)
    except ValueError:
        return action
