"""Forms for the staff pages. They validate input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import ReturnReason
from city.models import Department
from feedback.forms import MultipleFileField, MultipleFileInput
from feedback.models import Disposition
from portal.filters import HardenedForm


class VersionForm(HardenedForm):  # a version beyond PostgreSQL's integers is a field error
    """Carries the case version the actor saw, so a concurrent change is detected."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MaterialForm(VersionForm):
    question = forms.CharField(label=_("What do you need from the citizen?"), widget=forms.Textarea, max_length=2000)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class AssignHandlerForm(VersionForm):
    """The queryset is the lead department's people, set by the view for the case."""

    handler = PersonChoiceField(
        label=_("Handler (承办人)"), queryset=Department.objects.none(), empty_label=_("Choose a person…")
    )
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _future(value):
    if value is not None and value <= timezone.now():
        raise forms.ValidationError(_("The date must be in the future."))
    return value


class ExtensionForm(forms.Form):
    new_due_at = forms.DateTimeField(
        label=_("New deadline"), widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    reason = forms.CharField(label=_("Why is more time needed?"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_new_due_at(self):
        return _future(self.cleaned_data["new_due_at"])


class ReturnForm(VersionForm):
    reason = forms.ModelChoiceField(label=_("Reason"), queryset=ReturnReason.objects.filter(is_active=True))
    text = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("Co-handling opinion"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class ReplyForm(VersionForm):
    disposition = forms.ChoiceField(label=_("Disposition"), choices=Disposition.choices)
    text = forms.CharField(
        label=_("Reply to the citizen"),
        widget=forms.Textarea,
        max_length=5000,
        help_text=_("The citizen reads this text. If it cannot be resolved, say why and where to turn."),
    )
    # Checked like the citizen's own files; the citizen sees them with the reply.
    attachments = MultipleFileField(
        label=_("Files for the citizen"),
        help_text=_("Up to 5 files: JPEG, PNG, GIF, WebP or PDF, 10 MB each."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"}),
    )


class EscalateForm(forms.Form):
    instructions = forms.CharField(label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 3}))
    due_at = forms.DateTimeField(
        label=_("Deadline"), widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )

    def clean_due_at(self):
        return _future(self.cleaned_data["due_at"])


class DispatchForm(VersionForm):
    department = forms.ModelChoiceField(label=_("Lead department"), queryset=Department.objects.filter(is_active=True))
    co_departments = forms.ModelMultipleChoiceField(
        label=_("Co-handling departments"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    reason = forms.CharField(label=_("Why this department"), required=False, max_length=500)


class RedispatchForm(VersionForm):
    department = forms.ModelChoiceField(
        label=_("New lead department"), queryset=Department.objects.filter(is_active=True)
    )
    reason = forms.CharField(label=_("Why"), max_length=500)


class DuplicateForm(forms.Form):
    duplicate_of = forms.CharField(label=_("Tracking number of the original case"), max_length=32)
    reason = forms.CharField(label=_("Note"), required=False, max_length=500)


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=1000)
