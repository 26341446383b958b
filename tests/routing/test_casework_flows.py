"""Pages for co-handling, returns decided by a dispatcher, transfer and manual escalation."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from casework.models import Assignment, AssignmentRole, AssignmentStatus, ReturnReason
from city.models import Department
from feedback.models import CaseEvent, Status, Submission
from tests.factories import make_case


def test_co_handler_finds_the_case_in_its_co_tab_and_gives_an_opinion_on_the_page(client, users):
    case = make_case(status=Status.IN_PROGRESS)
    Assignment.objects.create(
        submission=case,
        department=Department.objects.get(code="ZJJ"),
        role=AssignmentRole.CO,
        due_at=timezone.now() + timedelta(days=1),
    )
    client.force_login(users["zjj_staff"])
    inbox = client.get("/staff/", {"tab": "co"})
    assert list(inbox.context["rows"]) == [case]
    assert inbox.context["counts"]["co"] == 1
    page = client.get(f"/staff/cases/{case.pk}/")
    names = [a["name"] for a in page.context["actions"]]
    assert "opinion" in names and "reply" not in names
    client.post(f"/staff/cases/{case.pk}/act/opinion/", {"text": "工地夜间施工已责令停工"})
    co = Assignment.objects.get(submission=case, role=AssignmentRole.CO)
    assert co.status == AssignmentStatus.OPINION_GIVEN
    client.force_login(users["cgj_staff"])
    assert "工地夜间施工已责令停工" in client.get(f"/staff/cases/{case.pk}/").content.decode()


def test_dispatcher_accepts_a_return_on_the_page_and_the_trail_says_from_where_to_where(client, users):
    from casework.returns import case_return

    case = make_case(status=Status.ASSIGNED)
    case_return(
        submission_id=case.pk, actor=users["cgj_staff"], reason_id=ReturnReason.objects.first().pk, text="住建的"
    )
    client.force_login(users["dispatcher"])
    assert case.tracking_number in client.get("/dispatch/returns/").content.decode()
    zjj = Department.objects.get(code="ZJJ")
    version = Submission.objects.get(pk=case.pk).version
    client.post(
        f"/staff/cases/{case.pk}/act/accept_return/", {"department": zjj.pk, "reason": "工地噪音", "version": version}
    )
    case.refresh_from_db()
    assert (case.status, case.lead_department) == (Status.ASSIGNED, zjj)
    event = CaseEvent.objects.filter(submission=case, action="dispatch").get()
    assert (event.payload["from"], event.payload["to"], event.reason) == ("CGJ", "ZJJ", "工地噪音")


def test_dispatcher_transfers_a_case_through_the_api(client, users):
    case = make_case(status=Status.IN_PROGRESS)
    swj = Department.objects.get(code="SWJ")
    client.force_login(users["dispatcher"])
    response = client.post(
        f"/api/v1/staff/cases/{case.pk}/redispatch/", {"department": swj.pk, "reason": "是排水问题", "version": 0}
    )
    assert response.status_code == 200, response.content
    assert Submission.objects.get(pk=case.pk).lead_department == swj
    client.force_login(users["cgj_staff"])
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 404


def test_supervisor_escalates_on_the_page_with_instructions_and_a_deadline(client, users):
    case = make_case(status=Status.IN_PROGRESS)
    client.force_login(users["supervisor"])
    due = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.post(f"/staff/cases/{case.pk}/act/escalate/", {"instructions": "今天内回复群众", "due_at": due})
    event = CaseEvent.objects.get(submission=case, action="escalate_manual")
    assert event.reason == "今天内回复群众" and event.actor == users["supervisor"]


def test_escalation_in_the_past_is_refused_with_the_error_next_to_the_field(client, users):
    case = make_case(status=Status.IN_PROGRESS)
    client.force_login(users["supervisor"])
    response = client.post(
        f"/staff/cases/{case.pk}/act/escalate/", {"instructions": "快", "due_at": "2020-01-01T10:00"}
    )
    assert response.status_code == 400
    assert not CaseEvent.objects.filter(submission=case, action="escalate_manual").exists()


def test_administrator_keeps_the_return_reasons_in_the_admin(client, users):
    client.force_login(users["admin"])
    assert client.get("/admin/casework/returnreason/").status_code == 200
    assert client.get("/admin/casework/returnrecord/").status_code == 200
