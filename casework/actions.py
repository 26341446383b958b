"""The staff case actions, one table for the page and the API: the form each takes and the service it runs.

``case_action_run`` is the one dispatcher: ``casework.views.case_act`` and
``casework.apis.StaffCaseAction`` both call it and differ only in how they answer.
Which actions a user sees comes from the workflow's action table (``selectors.page_actions``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy

from casework import extensions, forms, handlers, returns, services, triage
from feedback.models import Submission
from portal.errors import DomainError


@dataclass(frozen=True)
class ActionSpec:
    form: type
    label: Any
    done: Any

    def run(self, name: str, case: Submission, user, data: dict):
        return RUNNERS[name](case, user, data)


RUNNERS = {
    "sign_for": lambda c, u, d: services.assignment_sign_for(
        submission_id=c.pk, actor=u, expected_version=d.get("version")
    ),
    "request_material": lambda c, u, d: services.case_request_material(
        submission_id=c.pk, actor=u, question=d["question"], expected_version=d.get("version")
    ),
    "reply": lambda c, u, d: services.case_reply(
        submission_id=c.pk,
        actor=u,
        disposition=d["disposition"],
        text=d["text"],
        uploads=d.get("attachments") or [],
        expected_version=d.get("version"),
    ),
    "return": lambda c, u, d: returns.case_return(
        submission_id=c.pk, actor=u, reason_id=d["reason"].pk, text=d["text"], expected_version=d.get("version")
    ),
    "extension": lambda c, u, d: extensions.extension_request(
        submission_id=c.pk, actor=u, reason=d["reason"], new_due_at=d["new_due_at"]
    ),
    "note": lambda c, u, d: services.case_note(submission_id=c.pk, actor=u, text=d["text"]),
    "assign_handler": lambda c, u, d: handlers.case_assign_handler(
        submission_id=c.pk,
        actor=u,
        handler_id=d["handler"].pk,
        reason=d.get("reason", ""),
        expected_version=d.get("version"),
    ),
    "co_sign_for": lambda c, u, d: services.cohandling_sign_for(submission_id=c.pk, actor=u),
    "opinion": lambda c, u, d: services.cohandling_opinion(submission_id=c.pk, actor=u, text=d["text"]),
    "escalate": lambda c, u, d: services.case_escalate_manual(
        submission_id=c.pk, actor=u, instructions=d["instructions"], due_at=d["due_at"]
    ),
    "dispatch": lambda c, u, d: triage.case_dispatch(
        submission_id=c.pk,
        actor=u,
        department_id=d["department"].pk,
        co_department_ids=[x.pk for x in d["co_departments"]],
        reason=d.get("reason", ""),
        expected_version=d.get("version"),
    ),
    "accept_return": lambda c, u, d: returns.return_accept(
        submission_id=c.pk,
        actor=u,
        department_id=d["department"].pk,
        co_department_ids=[x.pk for x in d["co_departments"]],
        reason=d.get("reason", ""),
        expected_version=d.get("version"),
    ),
    "reject_return": lambda c, u, d: returns.return_reject(submission_id=c.pk, actor=u, note=d.get("note", "")),
    "redispatch": lambda c, u, d: triage.case_redispatch(
        submission_id=c.pk,
        actor=u,
        department_id=d["department"].pk,
        reason=d["reason"],
        expected_version=d.get("version"),
    ),
    "mark_duplicate": lambda c, u, d: triage.case_mark_duplicate(
        submission_id=c.pk, actor=u, duplicate_of=d["duplicate_of"], reason=d.get("reason", "")
    ),
    "mark_invalid": lambda c, u, d: triage.case_mark_invalid(submission_id=c.pk, actor=u, reason=d["reason"]),
    "mark_spam": lambda c, u, d: triage.case_mark_spam(submission_id=c.pk, actor=u, reason=d["reason"]),
}

ACTIONS: dict[str, ActionSpec] = {
    "sign_for": ActionSpec(forms.VersionForm, gettext_lazy("Sign for"), gettext_lazy("Signed for.")),
    "request_material": ActionSpec(
        forms.MaterialForm, gettext_lazy("Ask the citizen for material"), gettext_lazy("The citizen has been asked.")
    ),
    "reply": ActionSpec(forms.ReplyForm, gettext_lazy("Reply to the citizen"), gettext_lazy("The reply was sent.")),
    "extension": ActionSpec(
        forms.ExtensionForm, gettext_lazy("Ask for an extension"), gettext_lazy("The extension request was sent.")
    ),
    "return": ActionSpec(forms.ReturnForm, gettext_lazy("Return the case"), gettext_lazy("The case was returned.")),
    "note": ActionSpec(forms.NoteForm, gettext_lazy("Add an internal note"), gettext_lazy("Note added.")),
    "assign_handler": ActionSpec(
        forms.AssignHandlerForm, gettext_lazy("Assign a handler"), gettext_lazy("The handler was assigned.")
    ),
    "co_sign_for": ActionSpec(
        forms.VersionForm, gettext_lazy("Sign for co-handling"), gettext_lazy("Signed for co-handling.")
    ),
    "opinion": ActionSpec(
        forms.OpinionForm, gettext_lazy("Give the co-handling opinion"), gettext_lazy("Opinion submitted.")
    ),
    "escalate": ActionSpec(forms.EscalateForm, gettext_lazy("Escalate (督办)"), gettext_lazy("Escalation issued.")),
    "dispatch": ActionSpec(forms.DispatchForm, gettext_lazy("Dispatch"), gettext_lazy("The case was dispatched.")),
    "accept_return": ActionSpec(
        forms.DispatchForm, gettext_lazy("Accept the return and re-dispatch"), gettext_lazy("Re-dispatched.")
    ),
    "reject_return": ActionSpec(
        forms.DecisionForm, gettext_lazy("Reject the return"), gettext_lazy("The case went back to the department.")
    ),
    "redispatch": ActionSpec(
        forms.RedispatchForm, gettext_lazy("Transfer to another department"), gettext_lazy("Transferred.")
    ),
    "mark_duplicate": ActionSpec(
        forms.DuplicateForm, gettext_lazy("Close as duplicate"), gettext_lazy("Closed as a duplicate.")
    ),
    "mark_invalid": ActionSpec(forms.CloseForm, gettext_lazy("Close as invalid"), gettext_lazy("Closed as invalid.")),
    "mark_spam": ActionSpec(forms.CloseForm, gettext_lazy("Close as spam"), gettext_lazy("Closed as spam.")),
}


@dataclass(frozen=True)
class ActionOutcome:
    form: Any
    done: Any = ""
    error: DomainError | None = None


def action_form(name: str, case: Submission, *args, **kwargs):
    """The action's form, with the choices that depend on the case.

    Field ids carry the action's name: several forms share one page, and two ``text`` fields with one id would
    leave the second without its label.
    """
    kwargs.setdefault("auto_id", f"id_{name}_%s")
    form = ACTIONS[name].form(*args, **kwargs)
    if name == "assign_handler":
        form.fields["handler"].queryset = handlers.department_handlers(case.lead_department_id)
    return form


def case_action_run(*, name: str, case: Submission, actor, data, files=None) -> ActionOutcome:
    """Validate ``data`` with the action's form and run its service; 404 for an unknown action.

    The outcome holds the bound form (invalid: nothing ran), or the domain error the service raised, or
    the message to show when it went through.
    """
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404
    form = action_form(name, case, data, files)
    if not form.is_valid():
        return ActionOutcome(form=form)
    try:
        spec.run(name, case, actor, form.cleaned_data)
    except DomainError as exc:
        return ActionOutcome(form=form, error=exc)
    return ActionOutcome(form=form, done=spec.done)
