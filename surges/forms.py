from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from city.models import Department


def _departments():
    return Department.objects.filter(is_active=True).order_by("sort_order", "code")


class MergeForm(forms.Form):
    lead_department = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        label=_("Lead department"),
        help_text=_("One department handles every case of the incident and answers them together."),
    )
    title = forms.CharField(label=_("Incident title"), max_length=200, required=False)
    cases = forms.TypedMultipleChoiceField(
        label=_("Cases to merge"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, case_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_department"].queryset = _departments()
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]


class LinkForm(forms.Form):
    cases = forms.MultipleChoiceField(
        label=_("Same incident"), widget=forms.CheckboxSelectMultiple, error_messages={"required": _("Choose a case.")}
    )
    lead_department = forms.ModelChoiceField(
        queryset=Department.objects.none(), label=_("Lead department"), required=False
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(str(c.submission.pk), c.submission.tracking_number) for c in candidates]
        self.fields["lead_department"].queryset = _departments()
