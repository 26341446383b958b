"""Forms of the consultation pages. Services do the checks that need the database."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from city.models import Category, Department, District
from consultations.models import ModerationReason, Outcome, Progress
from feedback.forms import MultipleFileField

LOCAL_DATETIME = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ConsultationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    question = forms.CharField(label=_("Question to the public"), max_length=2000, widget=forms.Textarea)
    background = forms.CharField(label=_("Background"), max_length=10000, required=False, widget=forms.Textarea)
    department = forms.ModelChoiceField(label=_("Answering office"), queryset=Department.objects.none())
    districts = forms.ModelMultipleChoiceField(
        label=_("Districts"), queryset=District.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Category.objects.filter(parent__isnull=True, is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), input_formats=LOCAL_DATETIME, widget=LocalDateTimeInput())
    closes_at = forms.DateTimeField(label=_("Closes at"), input_formats=LOCAL_DATETIME, widget=LocalDateTimeInput())
    attachments = MultipleFileField(label=_("Attachments"), help_text=_("Optional: images or PDFs."))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(is_active=True)
        if user is not None and not user.is_supervisor:
            departments = departments.filter(pk__in=user.department_ids())
        self.fields["department"].queryset = departments

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The closing date must be after the opening date."))
        return data


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("Your idea in one line"), max_length=120)
    text = forms.CharField(label=_("Your suggestion"), max_length=5000, widget=forms.Textarea)
    author_name = forms.CharField(
        label=_("Your name (optional)"), max_length=60, required=False, help_text=_("Never shown in public.")
    )
    author_email = forms.EmailField(
        label=_("E-mail for the answer (optional)"),
        required=False,
        help_text=_("We write when your suggestion is answered and as an adopted idea progresses."),
    )


class SupportForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail"), help_text=_("We send a code to check it is yours. One support per person.")
    )


class CodeForm(forms.Form):
    code = forms.RegexField(label=_("Code from the e-mail"), regex=r"^\s*\d{6}\s*$", max_length=10)


class ModerateForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ModerationReason.choices)
    note = forms.CharField(label=_("Note to the author"), max_length=500, required=False)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Why this support is void"), max_length=200)


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason = forms.CharField(label=_("Reasons"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ProgressForm(forms.Form):
    progress = forms.ChoiceField(
        label=pgettext_lazy("consultation", "Step"), choices=[c for c in Progress.choices if c[0] != Progress.PLANNED]
    )
    text = forms.CharField(label=_("What was done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
