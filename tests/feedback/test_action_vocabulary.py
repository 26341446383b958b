"""One vocabulary of actions: every name the code or the database uses is a row of the action table.

The first test reads every project module's syntax tree, so a misspelt action (the old
``"extension_requested"`` that kept the extension rate at zero) fails here before any figure is wrong.
The second walks cases through the services and checks every event row the walk wrote.
"""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from feedback.models import CaseEvent
from feedback.workflow import ACTION_TABLE, BUTTONS, TRANSITIONS, Action, allowed_actions

ROOT = Path(__file__).resolve().parents[2]
# (consultations has its own vocabulary, ``consultations.workflow``.)
PACKAGES = ["accounts", "city", "feedback", "deadlines", "casework", "routing", "open311", "oversight", "portal",
            "surges", "demo", "bench", "scripts"]  # fmt: skip
# Names a page or the API may compare an ``action`` with: the table's actions and its buttons' slugs.
KNOWN = set(Action.values) | set(BUTTONS)


def _modules() -> list[Path]:
    paths = []
    for package in PACKAGES:
        paths += [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    return paths


def _strings(node: ast.AST) -> list[str]:
    """The string constants of a literal, a tuple/list/set of literals, or nothing."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def _names_action(node: ast.AST) -> bool:
    """``action``, ``x.action`` or ``x["action"]``: an expression that holds an action name."""
    if isinstance(node, ast.Name):
        return node.id == "action"
    if isinstance(node, ast.Attribute):
        return node.attr == "action"
    return False


def action_names_in(source: str) -> list[tuple[int, str]]:
    """Every string the module passes as ``action=``/``action__in=`` or compares with an action."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called == "add_argument":  # argparse's action="store_true"
                continue
            for keyword in node.keywords:
                if keyword.arg in ("action", "action__in"):
                    found += [(node.lineno, s) for s in _strings(keyword.value)]
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_names_action(side) for side in sides):
                for side in sides:
                    found += [(node.lineno, s) for s in _strings(side)]
    return found


def test_no_module_names_an_action_the_table_does_not_have():
    unknown = []
    for path in _modules():
        for line, name in action_names_in(path.read_text(encoding="utf-8")):
            if name not in KNOWN:
                unknown.append(f"{path.relative_to(ROOT)}:{line}: {name!r}")
    assert unknown == []


def test_the_scan_catches_the_old_misspelling():
    source = 'CaseEvent.objects.filter(action="extension_requested")\nif event.action in ("reply", "answered"): pass'
    assert [name for _line, name in action_names_in(source) if name not in KNOWN] == ["extension_requested", "answered"]


def test_every_action_has_one_row_with_a_readable_label():
    assert set(ACTION_TABLE) == set(Action)
    for action in Action:
        assert str(action.label) and str(action.label) != action.value


def test_every_button_is_reachable_and_every_transition_has_its_sources():
    for action, transition in TRANSITIONS.items():
        assert transition.sources and transition.targets and transition.actors, action
    statuses = {s for t in TRANSITIONS.values() for s in t.sources}
    kinds = {k for _action, button in BUTTONS.values() for k in button.who}
    shown = {name for status in statuses for name in allowed_actions(kinds, status)}
    assert shown == set(BUTTONS)


@pytest.mark.django_db
def test_every_event_a_walk_through_the_services_writes_is_in_the_table(city):
    """Submit, route, sign for, ask for material, extend, note, return, decide, reply, rate, reopen, escalate, close."""
    from accounts.models import User
    from casework import extensions, returns, services, triage
    from casework.models import ReturnReason
    from city.models import Category, Department
    from deadlines.escalation import deadlines_sweep
    from feedback.services import case_reopen, material_answer, rating_submit, submission_create
    from routing.services import submission_route

    staff, dispatcher = User.objects.get(username="cgj_staff"), User.objects.get(username="dispatcher")
    supervisor = User.objects.get(username="supervisor")
    cgj, zjj = Department.objects.get(code="CGJ"), Department.objects.get(code="ZJJ")
    start = timezone.now() - timedelta(days=30)

    def at(hours: float):
        return start + timedelta(hours=hours)

    data = {"kind": "complaint", "title": "垃圾没人清运", "text": "小区门口的垃圾堆了三天没人清运。"}
    data["category"] = Category.objects.get(code="city.garbage")
    case, _secret, _ = submission_create(data=data, now=at(0))
    submission_route(submission_id=case.pk, now=at(0))
    case.refresh_from_db()
    if case.lead_department_id != cgj.pk:
        triage.case_redispatch(submission_id=case.pk, actor=dispatcher, department_id=cgj.pk, reason="x", now=at(0.1))
    services.case_note(submission_id=case.pk, actor=staff, text="先看一下", now=at(0.2))
    services.contact_view_record(submission_id=case.pk, actor=staff, now=at(0.3))
    returns.case_return(
        submission_id=case.pk,
        actor=staff,
        reason_id=ReturnReason.objects.filter(is_active=True).first().pk,
        text="不属于本单位",
        now=at(0.5),
    )
    returns.return_reject(submission_id=case.pk, actor=dispatcher, note="属于城管", now=at(1))
    services.assignment_sign_for(submission_id=case.pk, actor=staff, now=at(2))
    services.case_request_material(submission_id=case.pk, actor=staff, question="请提供照片", now=at(3))
    material_answer(submission_id=case.pk, answer="照片如下", now=at(4))
    request = extensions.extension_request(
        submission_id=case.pk, actor=staff, reason="需要协调", new_due_at=at(24 * 20), now=at(5)
    )
    extensions.extension_decide(extension_id=request.pk, actor=supervisor, approve=True, now=at(6))
    services.case_escalate_manual(
        submission_id=case.pk, actor=supervisor, instructions="今天内回复", due_at=at(24 * 21), now=at(7)
    )
    services.case_reply(submission_id=case.pk, actor=staff, disposition="resolved", text="已清运", now=at(8))
    rating_submit(submission_id=case.pk, satisfaction="unsatisfied", is_resolved=False, now=at(9))
    case_reopen(submission_id=case.pk, reason="又堆起来了", now=at(10))
    triage.case_redispatch(submission_id=case.pk, actor=dispatcher, department_id=zjj.pk, reason="物业", now=at(11))
    deadlines_sweep(now=timezone.now())  # escalation levels on the overdue sign-for, and more
    for mark in (triage.case_mark_spam, triage.case_mark_invalid):
        other, _s, _c = submission_create(data=data, now=at(12))
        submission_route(submission_id=other.pk, now=at(12))
        if other.status != "triage":
            continue
        mark(submission_id=other.pk, actor=dispatcher, reason="无效")

    written = set(CaseEvent.objects.values_list("action", flat=True))
    assert written <= set(Action.values)
    # The walk reached the parts of the table that the KPIs and notifications read.
    assert {Action.SUBMIT, Action.EXTENSION_REQUEST, Action.RETURN, Action.REPLY, Action.REOPEN} <= written
    assert any(name.startswith("escalate_") and name != Action.ESCALATE_MANUAL for name in written)


def test_every_button_of_the_table_has_one_form_and_service_on_the_page_and_api():
    from casework.actions import ACTIONS

    assert set(ACTIONS) == set(BUTTONS)
