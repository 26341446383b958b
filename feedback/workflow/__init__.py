"""The life of a case: one table of actions and the one door through it.

``Action`` is the vocabulary: every name a ``CaseEvent.action`` may hold.
``ACTION_TABLE`` says, for each action, how it moves the status (if it does),
who may take it, what it does to the deadlines, who is told, and which buttons
the staff pages and API show for it. Everything else reads the table: the
pages and API (``allowed_actions``), the deadlines (``deadline``), the staff
notifications (``notify``), the KPIs (``Action.X``) and the timeline labels.

Nothing else in the code base writes ``Submission.status``. A caller names an
action; ``case_transition`` locks the row, checks that the action is allowed
from the current status and for this actor, applies the action's own field
changes, writes one append-only ``CaseEvent`` and then runs the reactions
registered by higher apps (``on_event``): deadlines and notifications live in
``routing`` and ``feedback.notifications`` and register themselves at start-up,
so this module imports none of them.
"""

from __future__ import annotations

from feedback.workflow.engine import (  # noqa: F401
    EventHook,
    _hooks,
    actor_kinds,
    allowed_actions,
    case_transition,
    event_record,
    event_written,
    on_event,
)
from feedback.workflow.vocabulary import (  # noqa: F401
    ACTION_TABLE,
    ASSIGNING_ACTIONS,
    BUTTONS,
    CITIZEN,
    CLOSING_ACTIONS,
    CO_HANDLER,
    CO_TO_SIGN,
    DECIDABLE,
    DESK,
    DISPATCHER,
    HEAD,
    LEAD_STAFF,
    OPEN,
    OPERATOR,
    PARTY,
    SUPERVISOR,
    SUPERVISOR_AFTER_BOUNCES,
    SYSTEM,
    TRANSITIONS,
    WITH_DEPARTMENT,
    A,
    Action,
    ActionRule,
    Audience,
    Button,
    D,
    DeadlineEffect,
    N,
    S,
    Transition,
    _b,
    _t,
    action_label,
    returns_before_supervisor,
)
