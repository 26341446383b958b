"""Consultation pages: the public side (``public``) and the answering office's (``office``)."""

from consultations.views.office import (
    answer,
    close,
    confirm_groups,
    consultation_new,
    manage,
    mine_staff,
    moderate,
    progress,
    regroup,
    restore,
    void_support,
)
from consultations.views.public import (
    attachment,
    consultation_detail,
    consultation_list,
    mine,
    private_link,
    suggest,
    suggest_done,
    support,
    support_confirm,
)

__all__ = [
    "answer",
    "attachment",
    "close",
    "confirm_groups",
    "consultation_detail",
    "consultation_list",
    "consultation_new",
    "manage",
    "mine",
    "mine_staff",
    "moderate",
    "private_link",
    "progress",
    "regroup",
    "restore",
    "suggest",
    "suggest_done",
    "support",
    "support_confirm",
    "void_support",
]
