"""Pages of the closed loop: the deadline board for departments and supervisors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from city.calendar import calendar_missing_years
from deadlines import selectors


@login_required
def deadline_board(request: HttpRequest) -> HttpResponse:
    """What is near or past its deadline, scoped to the user's departments (everything for supervisors)."""
    user = request.user
    scope = selectors.department_scope(user)
    if scope is not None and not scope:
        raise PermissionDenied
    now = timezone.now()
    context = {
        "now": now,
        "overdue": list(selectors.deadlines_overdue(department_ids=scope, now=now)[:200]),
        "warning": list(selectors.deadlines_warning(department_ids=scope, now=now)[:200]),
        "escalations": list(selectors.escalations_recent(department_ids=scope)),
        "is_supervisor": user.is_supervisor,
        "task_failures": list(selectors.task_failures_open()) if user.is_supervisor else [],
        "calendar_missing_years": calendar_missing_years() if user.is_supervisor else [],
    }
    return render(request, "deadlines/deadline_board.html", context)
