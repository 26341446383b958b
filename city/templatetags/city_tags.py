"""Template helpers of the closed loop."""

from __future__ import annotations

from django import template

from city.calendar import calendar_missing_years

register = template.Library()


@register.inclusion_tag("city/includes/calendar_warning.html", takes_context=True)
def calendar_warning(context):
    """The 'next year's official calendar is missing' banner, for supervisors only."""
    user = context.get("user")
    years = calendar_missing_years() if user is not None and getattr(user, "is_supervisor", False) else []
    return {"calendar_missing_years": years}
