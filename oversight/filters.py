"""The dashboard's filter form: department (with its subtree), district, category, priority, period."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from city.models import Category, Department, District, Priority
from portal.filters import HardenedForm  # dates outside 1970-2999 are field errors, not overflows


def subtree_ids(model, root_id: int) -> set[int]:
    """Ids of ``root_id`` and everything below it (one query; trees are small)."""
    children: dict = {}
    for pk, parent in model.objects.values_list("id", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), [root_id]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


# <input type="date"> takes only ISO dates; the zh locale's format (2026/11/28) would leave it blank.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseFilterForm(HardenedForm):
    department = forms.ModelChoiceField(
        Department.objects.all(), required=False, label=_("Department"), empty_label=_("All departments")
    )
    district = forms.ModelChoiceField(
        District.objects.all(), required=False, label=_("District"), empty_label=_("All districts")
    )
    category = forms.ModelChoiceField(
        Category.objects.all(), required=False, label=_("Category"), empty_label=_("All categories")
    )
    priority = forms.ChoiceField(
        choices=[("", _("All priorities")), *Priority.choices], required=False, label=_("Priority")
    )
    date_from = forms.DateField(required=False, label=_("Submitted from"), widget=DATE)
    date_to = forms.DateField(required=False, label=_("Submitted until"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start of the period must not be after its end."))
        return data

    def department_ids(self) -> set[int] | None:
        dept = self.cleaned_data.get("department") if self.is_valid() else None
        return subtree_ids(Department, dept.pk) if dept else None

    def submission_q(self, prefix: str = "") -> Q:
        """A Q on Submission (``prefix`` reaches it from another model, e.g. ``submission__``).

        The department is not in it: callers filter their own department column with ``department_ids()``.
        """
        q = Q()
        if not self.is_valid():
            return q
        data = self.cleaned_data
        if data.get("district"):
            q &= Q(**{f"{prefix}district": data["district"]})
        if data.get("category"):
            q &= Q(**{f"{prefix}category__in": subtree_ids(Category, data["category"].pk)})
        if data.get("priority"):
            q &= Q(**{f"{prefix}priority": data["priority"]})
        tz = timezone.get_current_timezone()
        if data.get("date_from"):
            q &= Q(**{f"{prefix}created_at__gte": _midnight(data["date_from"], tz)})
        if data.get("date_to"):
            q &= Q(**{f"{prefix}created_at__lt": _midnight(data["date_to"] + timedelta(days=1), tz)})
        return q

    def period(self, today) -> tuple:
        """First and last local day of the buck-passing period: the filter's dates, else the last 30 days."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        last = data.get("date_to") or today
        first = data.get("date_from") or last - timedelta(days=29)
        return first, last

    def querystring(self) -> str:
        return self.data.urlencode() if hasattr(self.data, "urlencode") else ""


def _midnight(day, tz):
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(day, time.min), tz)


class PeriodForm(HardenedForm):
    """A KPI period: first and last local day, at most two years, default the last 30 days."""

    date_from = forms.DateField(required=False, label=_("From"), widget=DATE)
    date_to = forms.DateField(required=False, label=_("Until"), widget=DATE)
    department = forms.ModelChoiceField(
        Department.objects.all(), required=False, label=_("Department"), empty_label=_("All departments")
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        last = data.get("date_to") or today
        first = data.get("date_from") or last - timedelta(days=29)
        if first > last:
            raise forms.ValidationError(_("The start of the period must not be after its end."))
        if (last - first).days > 731:
            raise forms.ValidationError(_("A period may cover at most two years."))
        data["first_day"], data["last_day"] = first, last
        return data
