"""Extensions follow the case: a reply withdraws a pending request, and an old request never moves a new deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from casework import extensions, services
from casework.models import Decision, ExtensionRequest
from deadlines.models import Deadline, Step
from feedback.models import Status, Submission
from feedback.services import rating_submit
from feedback.workflow import case_transition
from portal.errors import TransitionNotAllowed
from tests.feedback.conftest import make_submission


def _signed_for(users) -> Submission:
    from routing.services import submission_route

    submission, _secret = make_submission()
    submission_route(submission_id=submission.pk)
    case = Submission.objects.get(pk=submission.pk)
    assert case.lead_department.code == "STHJ"
    return services.assignment_sign_for(submission_id=case.pk, actor=users["sthj_staff"])


def _ask(case, users) -> ExtensionRequest:
    deadline = Deadline.objects.get(submission=case, step=Step.REPLY, is_open=True)
    return extensions.extension_request(
        submission_id=case.pk,
        actor=users["sthj_staff"],
        reason="需要现场复核",
        new_due_at=deadline.due_at + timedelta(days=5),
    )


def test_a_reply_withdraws_the_pending_extension_request(users):
    case = _signed_for(users)
    request = _ask(case, users)
    services.case_reply(submission_id=case.pk, actor=users["sthj_staff"], disposition="resolved", text="已处理。")
    request.refresh_from_db()
    assert request.decision == Decision.WITHDRAWN
    reply_event = case.events.get(action="reply")
    assert reply_event.payload["extensions_withdrawn"] == [request.pk]
    assert not extensions.extension_requests_withdraw(case=case, at=request.decided_at, why="")


def test_the_withdrawn_request_shows_as_withdrawn_and_leaves_the_approvals_queue(client, users):
    case = _signed_for(users)
    _ask(case, users)
    services.case_reply(submission_id=case.pk, actor=users["sthj_staff"], disposition="resolved", text="已处理。")
    client.force_login(users["supervisor"])
    assert case.tracking_number not in client.get("/supervise/").content.decode()
    client.force_login(users["sthj_staff"])
    body = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "已撤回" in body and "待审批" not in body


def test_approving_an_old_request_never_moves_the_reopened_cases_deadline(users):
    case = _signed_for(users)
    request = _ask(case, users)
    services.case_reply(submission_id=case.pk, actor=users["sthj_staff"], disposition="resolved", text="已处理。")
    rating_submit(submission_id=case.pk, satisfaction="unsatisfied", is_resolved=False, comment="没有解决")
    case_transition(submission_id=case.pk, action="reopen", as_citizen=True, reason="没有解决")
    assert Submission.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    before = Deadline.objects.get(submission=case, step=Step.REPLY, is_open=True)
    with pytest.raises(TransitionNotAllowed):
        extensions.extension_decide(extension_id=request.pk, actor=users["supervisor"], approve=True)
    after = Deadline.objects.get(submission=case, step=Step.REPLY, is_open=True)
    assert (after.pk, after.due_at) == (before.pk, before.due_at)
    # A new request for the new deadline is decided normally.
    fresh = _ask(case, users)
    extensions.extension_decide(extension_id=fresh.pk, actor=users["supervisor"], approve=True)
    assert Deadline.objects.get(submission=case, step=Step.REPLY, is_open=True).due_at == fresh.requested_due_at
