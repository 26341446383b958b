from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from city.calendar import working_day_seconds
from city.models import Priority
from feedback.templatetags import feedback_tags
from oversight import wording

register = template.Library()


@register.filter
def get(mapping, key):
    """``mapping|get:key`` for dicts keyed by variables."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def hours(value):
    """Working hours as "3.5 h", or in working days past 48 hours ("6.9 working days"); a dash when unknown."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return "—"
    if abs(value) >= 48:
        return _("%(days).1f working days") % {"days": value * 3600 / working_day_seconds()}
    return f"{value:.1f} h"


@register.filter
def line_time(line):
    """A case line's time overdue or left (absolute): working time, or clock time for a clock-hour deadline."""
    value = abs(line.hours_overdue)
    if line.is_working_time:
        return hours(value)
    if value >= 48:
        return _("%(days).1f days (clock time)") % {"days": value / 24}
    return _("%(hours).1f h (clock time)") % {"hours": value}


# The digest's sentences, shared with its PDF (oversight/wording.py).
register.filter("volume_note", wording.volume_note)
register.filter("labelled", wording.labelled)
register.filter("new_topics_line", wording.new_topics_line)
register.filter("signed_percent", wording.signed_percent)


@register.filter
def absolute(value):
    return None if value is None else abs(value)


@register.filter
def json_script_body(value):
    """JSON safe inside a ``<script type="application/json">`` block (same escaping as ``json_script``)."""
    import json

    return mark_safe(json.dumps(value, cls=DjangoJSONEncoder).translate(_json_script_escapes))


@register.filter
def priority_label(value):

    return dict(Priority.choices).get(value, value)


# Citizens' free text (a case title, an alert's topic words) with contact details masked: the portal's one filter.
register.filter("masked", feedback_tags.masked)
