from django import template

from feedback.masking import mask_text
from feedback.workflow import action_label as workflow_action_label

register = template.Library()

STATUS_BADGES = {"replied": "ok", "closed": "ok", "waiting_citizen": "warn", "returned": "warn", "triage": "warn"}
SATISFACTION_BADGES = {"satisfied": "ok", "basically": "warn", "unsatisfied": "bad"}


@register.filter
def action_label(action: str) -> str:
    return workflow_action_label(action)


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "")


@register.filter
def satisfaction_badge(satisfaction: str) -> str:
    return SATISFACTION_BADGES.get(satisfaction, "")


@register.filter
def masked(text) -> str:
    """Free text written by a citizen with phone numbers, emails and ID numbers masked (back-office lists)."""

    return mask_text(str(text) if text is not None else "")
