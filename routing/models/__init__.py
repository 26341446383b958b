"""Departments, categories, districts, assignments and deadlines."""

from __future__ import annotations

from routing.models.casework import (  # noqa: F401
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Decision,
    DeliveryStatus,
    EmailDelivery,
    ExtensionRequest,
    ReplyTemplate,
    ReturnReason,
    ReturnRecord,
)
from routing.models.city import (  # noqa: F401
    BilingualName,
    CalendarDay,
    CalendarSource,
    Category,
    Department,
    District,
    Priority,
)
from routing.models.deadlines import (  # noqa: F401
    Deadline,
    DeadlinePolicy,
    DurationUnit,
    Escalation,
    EscalationLevel,
    Step,
    TaskFailure,
)
from routing.models.rules import (  # noqa: F401
    DecisionSource,
    RoutingDecision,
    RoutingRule,
)
