"""Helpers shared by management commands."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import CommandError
from django.utils import timezone

NOW_HELP = 'Local time to run at, e.g. "2026-12-01 10:00" (default: now).'


def add_now_argument(parser) -> None:
    parser.add_argument("--now", help=NOW_HELP)


def now_option(value: str | None) -> datetime:
    """The ``--now`` option as an aware instant in the local time zone; the current time when absent."""
    if not value:
        return timezone.now()
    try:
        return timezone.make_aware(datetime.strptime(value.strip(), "%Y-%m-%d %H:%M"))
    except ValueError:
        raise CommandError(f'--now {value!r} is not a time like "2026-12-01 10:00".') from None
