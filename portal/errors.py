"""Domain errors raised by services, carrying a message a user can read."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: the message is translated and safe to show."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionNotAllowed(DomainError):
    status_code = 409


class CaseChanged(DomainError):
    """Someone else changed the case since the actor loaded it."""

    status_code = 409


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404
