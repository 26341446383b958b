"""Query inputs of the REST API checked once, before they reach the database: a bad value is a 400.

PostgreSQL refuses what Python accepts: a time-zone offset of ``-19:25``
(PostgreSQL allows at most ±15:59), a number beyond its column's range. Left
alone, such a filter value becomes a ``DataError`` and a 500. So every
filterset of every API list goes through ``harden_filterset`` (the project's
filter backend does it; views that build a filterset themselves call it),
which adds the checks below to each date-time and number field, whatever the
filter class. Ordering terms and page sizes are checked the same way. Every
refusal is a DRF ``ValidationError``, answered in the one ``ApiError`` shape.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter

# Real time zones lie between UTC-12:00 and UTC+14:00.
MAX_OFFSET = timedelta(hours=14)
FIRST_YEAR, LAST_YEAR = 1970, 2999
# Numbers a filter may compare with: what a PostgreSQL integer column holds.
NUMBER_LIMIT = 2**31 - 1


def datetime_problem(moment: datetime) -> str | None:
    """Why ``moment`` cannot be a filter's date and time, or None."""
    offset = moment.utcoffset()
    if offset is not None and abs(offset) > MAX_OFFSET:
        return _("The time-zone offset must be between -14:00 and +14:00.")
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        return _("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    return None


def number_problem(value: Any) -> str | None:
    """Why ``value`` cannot be a filter's number, or None."""
    try:
        number = Decimal(str(value))
        finite = number.is_finite()
    except (InvalidOperation, ValueError):
        return _("Enter a number.")
    if not finite or abs(number) > NUMBER_LIMIT:
        return _("Enter a number between -%(limit)s and %(limit)s.") % {"limit": NUMBER_LIMIT}
    return None


def _validate_datetime(value: Any) -> None:
    problem = datetime_problem(value) if isinstance(value, datetime) else None
    if problem:
        raise DjangoValidationError(problem, code="invalid")


def _validate_date(value: Any) -> None:
    if isinstance(value, date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise DjangoValidationError(
            _("The year must be between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="invalid",
        )


def _validate_number(value: Any) -> None:
    problem = number_problem(value) if value is not None else None
    if problem:
        raise DjangoValidationError(problem, code="invalid")


NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)


def harden_form(form: forms.Form) -> forms.Form:
    """Add the date-time, date and number checks to every such field of ``form`` (a filterset's or a page's)."""
    for field in form.fields.values():
        if isinstance(field, forms.DateTimeField):
            field.validators.append(_validate_datetime)
        elif isinstance(field, forms.DateField):
            field.validators.append(_validate_date)  # 0001-01-01 minus a month would overflow
        elif isinstance(field, NUMBER_FIELDS):
            field.validators.append(_validate_number)
    return form


def harden_filterset(filterset):
    """``filterset`` with its form hardened; call before ``is_valid()``."""
    if filterset is not None:
        harden_form(filterset.form)
    return filterset


def filterset_qs_or_400(filterset):
    """The filtered queryset, or a ``ValidationError`` (400, ``ApiError`` shape) naming the bad fields."""
    harden_filterset(filterset)
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset.qs


class HardenedForm(forms.Form):
    """A page's filter form with the same checks as the API's filters (see ``harden_form``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        harden_form(self)


class ApiFilterBackend(DjangoFilterBackend):
    """django-filter for the API: every filterset hardened, every bad value a 400."""

    def get_filterset(self, request, queryset, view):
        return harden_filterset(super().get_filterset(request, queryset, view))


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=`` with an unknown field is a 400, not silently ignored."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            terms = [term.strip() for term in params.split(",") if term.strip()]
            valid = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
            unknown = [term for term in terms if term.lstrip("-") not in valid]
            if unknown or not terms:
                allowed = ", ".join(sorted(valid)) or "-"
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            _("Unknown ordering: %(terms)s. Allowed: %(allowed)s.")
                            % {"terms": ", ".join(unknown) or params, "allowed": allowed}
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)
