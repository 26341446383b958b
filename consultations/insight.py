"""The consultations' figures in oversight's digest (and its PDF) and on the public scoreboard."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from consultations.selectors import digest_rows, office_figures
from oversight import extensions


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _status(consultation) -> str:
    """The status, and for an unanswered consultation past its deadline the escalation level reached."""
    status = str(consultation.get_status_display())
    if consultation.escalation_level:
        status += " · " + _("overdue, escalation level %(level)s") % {"level": consultation.escalation_level}
    return status


def digest_section(*, first_day: date, last_day: date, now) -> dict | None:

    start, end = _midnight(first_day), _midnight(last_day + timedelta(days=1))
    rows = digest_rows(first_day=first_day, last_day=last_day, start=start, end=end)
    if not rows:
        return None
    return {
        "id": "consultations",
        "title": _("Consultations (问计于民)"),
        "header": [
            _("Consultation"),
            _("Office"),
            _("Status"),
            pgettext("consultation", "Suggestions"),
            _("Supports"),
            _("Adopted"),
            _("Top themes"),
        ],
        "rows": [
            [
                row["consultation"].title,
                str(row["consultation"].department),
                _status(row["consultation"]),
                row["consultation"].suggestion_count,
                row["consultation"].support_count,
                row["adopted"],
                "; ".join(f"{t['label']} ({t['count']}, {t['supports']})" for t in row["themes"]),
            ]
            for row in rows
        ],
        "note": _("Top themes: similar suggestions grouped (number of suggestions, supports)."),
    }


def scoreboard_section(*, first_day: date, last_day: date) -> dict | None:

    rows = office_figures(start=_midnight(first_day), end=_midnight(last_day + timedelta(days=1)))
    if not rows:
        return None
    return {
        "id": "consultations",
        "title": _("Consultations: answers by office"),
        "header": [
            _("Office"),
            _("Number of consultations"),
            _("Answered on time"),
            _("Overdue"),
            _("Answers"),
            _("Adoption rate"),
            _("Adopted and done"),
        ],
        "rows": [
            [
                str(r["department"]),
                r["consultations"],
                _rate(r["on_time_rate"]),
                r["late"] + r["open_overdue"],
                r["answers"],
                _rate(r["adoption_rate"]),
                r["done"],
            ]
            for r in rows
        ],
        "note": _("Answered on time: consultations whose suggestions were all answered by the deadline."),
    }


def register_oversight_sections() -> None:

    extensions.register_digest_section("consultations", digest_section)
    extensions.register_scoreboard_section("consultations", scoreboard_section)
