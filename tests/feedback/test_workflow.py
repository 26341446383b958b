"""The whole transition table: every action, from every status, by every role."""

from __future__ import annotations

import pytest

from deadlines.escalation import ACTIONS as ESCALATION_ACTIONS
from feedback.models import CaseEvent, Status, Submission
from feedback.workflow import (
    CITIZEN,
    DISPATCHER,
    HEAD,
    LEAD_STAFF,
    SUPERVISOR,
    SYSTEM,
    TRANSITIONS,
    case_transition,
)
from portal.errors import CaseChanged, PermissionDenied, TransitionNotAllowed
from tests.factories import make_case

# role name -> the actor kinds it holds on a CGJ-led case
ROLES = {
    "citizen": {CITIZEN},
    "system": {SYSTEM},
    "dispatcher": {DISPATCHER},
    "cgj_staff": {LEAD_STAFF},
    "cgj_head": {LEAD_STAFF, HEAD},
    "zjj_staff": set(),
    "supervisor": {SUPERVISOR},
    "admin": {SUPERVISOR},
}


def _call(case, action, role, users):
    kwargs = {"submission_id": case.pk, "action": action}
    if role == "citizen":
        kwargs["as_citizen"] = True
    elif role == "system":
        kwargs["as_system"] = True
    else:
        kwargs["actor"] = users[role]
    targets = sorted(TRANSITIONS[action].targets)
    if len(targets) > 1:
        kwargs["to_status"] = targets[0]
    return case_transition(**kwargs)


@pytest.fixture
def users(city):
    from accounts.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_every_status_and_role_for_action(action, users):
    transition = TRANSITIONS[action]
    wrong = []
    for status in Status.values:
        for role, kinds in ROLES.items():
            case = make_case(status=status)
            before = (case.status, case.version, CaseEvent.objects.filter(submission=case).count())
            expected = status in transition.sources and bool(kinds & transition.actors)
            try:
                _call(case, action, role, users)
                allowed = True
            except (TransitionNotAllowed, PermissionDenied):
                allowed = False
            case.refresh_from_db()
            after = (case.status, case.version, CaseEvent.objects.filter(submission=case).count())
            if allowed != expected:
                wrong.append(f"{action} from {status} by {role}: allowed={allowed}, expected={expected}")
            if not allowed and after != before:
                wrong.append(f"{action} from {status} by {role}: refused but changed the case")
            if allowed:
                event = CaseEvent.objects.filter(submission=case).latest("id")
                assert (event.action, event.from_status, event.to_status) == (action, status, case.status)
    assert not wrong, "\n".join(wrong)


def test_stale_version_is_refused_with_case_changed(users):
    case = make_case(status=Status.ASSIGNED)
    with pytest.raises(CaseChanged):
        case_transition(
            submission_id=case.pk, action="sign_for", actor=users["cgj_staff"], expected_version=case.version + 1
        )
    assert Submission.objects.get(pk=case.pk).status == Status.ASSIGNED


def test_unknown_action_is_refused(users):
    case = make_case(status=Status.ASSIGNED)
    with pytest.raises(TransitionNotAllowed):
        case_transition(submission_id=case.pk, action="teleport", actor=users["supervisor"])


def test_after_two_bounces_only_a_supervisor_decides_the_return(users):
    case = make_case(status=Status.RETURNED, return_count=3)
    with pytest.raises(PermissionDenied):
        case_transition(
            submission_id=case.pk, action="reject_return", actor=users["dispatcher"], to_status=Status.ASSIGNED
        )
    case_transition(submission_id=case.pk, action="reject_return", actor=users["supervisor"], to_status=Status.ASSIGNED)
    assert Submission.objects.get(pk=case.pk).status == Status.ASSIGNED


def test_an_email_link_department_acts_as_lead_staff_only_for_its_own_case(users):
    from city.models import Department

    case = make_case(status=Status.ASSIGNED)
    with pytest.raises(PermissionDenied):
        case_transition(submission_id=case.pk, action="sign_for", as_department=Department.objects.get(code="ZJJ").pk)
    case_transition(submission_id=case.pk, action="sign_for", as_department=case.lead_department_id)
    assert CaseEvent.objects.filter(submission=case).latest("id").actor_label.startswith("email-link:")


@pytest.mark.parametrize("action", [*TRANSITIONS, *ESCALATION_ACTIONS.values()])
def test_every_action_written_to_a_timeline_has_a_readable_label(action):
    from feedback.workflow import action_label

    assert action_label(action) != action
