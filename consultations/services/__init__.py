"""Every write of consultations: open, close, suggest, moderate, support, group, answer, progress, forget.

Services take keyword-only arguments and the acting user (``by``), run in one
transaction, and raise a ``portal.errors.DomainError`` with a message a user
can read; when they raise, nothing has changed. The parts live in named
modules; callers import them from here.
"""

from consultations.services.answers import answer_progress, group_answer, groups_confirm, suggestion_regroup
from consultations.services.common import RateLimited, may_manage
from consultations.services.opening import consultation_close, consultation_open, consultations_close_due
from consultations.services.retention import consultations_anonymise
from consultations.services.suggestions import (
    SUGGESTIONS_PER_CLIENT,
    SuggestionCreated,
    suggestion_create,
    suggestion_get_by_secret,
    suggestion_moderate,
    suggestion_restore,
)
from consultations.services.supports import (
    BURST_LIMIT,
    BURST_WINDOW,
    CODE_ATTEMPTS,
    CODE_MINUTES,
    SAME_ADDRESS_LIMIT,
    SAME_ADDRESS_WINDOW,
    SUPPORT_CODES_PER_ADDRESS,
    SUPPORT_REQUESTS_PER_CLIENT,
    SupportRequested,
    identity_hash,
    normalized_address,
    support_confirm,
    support_request,
    support_void,
)

__all__ = [
    "BURST_LIMIT",
    "BURST_WINDOW",
    "CODE_ATTEMPTS",
    "CODE_MINUTES",
    "SAME_ADDRESS_LIMIT",
    "SAME_ADDRESS_WINDOW",
    "SUGGESTIONS_PER_CLIENT",
    "SUPPORT_CODES_PER_ADDRESS",
    "SUPPORT_REQUESTS_PER_CLIENT",
    "RateLimited",
    "SuggestionCreated",
    "SupportRequested",
    "answer_progress",
    "consultation_close",
    "consultation_open",
    "consultations_anonymise",
    "consultations_close_due",
    "group_answer",
    "groups_confirm",
    "identity_hash",
    "may_manage",
    "normalized_address",
    "suggestion_create",
    "suggestion_get_by_secret",
    "suggestion_moderate",
    "suggestion_regroup",
    "suggestion_restore",
    "support_confirm",
    "support_request",
    "support_void",
]
