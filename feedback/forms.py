"""Forms on the citizen side. The JSON API validates with the same forms."""

from __future__ import annotations

import re
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from city.models import Category, District
from feedback.access_codes import Contact, contact_parse
from feedback.models import Kind, Satisfaction
from feedback.pending_uploads import pending_files, pending_load
from feedback.phones import phone_normalize
from feedback.uploads import validate_uploads
from portal.cleaning import form_data_from_json
from portal.geo import point_problem

TRACKING_NUMBER = re.compile(r"^[A-Z]{1,8}\d{8}-\d{6}$")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero to MAX_ATTACHMENTS files, each checked by content."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [super(MultipleFileField, self).clean(f, initial) for f in files if f]
        return validate_uploads(files)


class CachedCodeChoiceField(forms.ModelChoiceField):
    """Looks the code up in a short-lived per-process table instead of a query per submission.

    Categories and districts change a few times a year; a minute of staleness
    is fine, and every submission saves two database round trips.
    """

    cache_seconds = 60
    _tables: dict[str, tuple[float, dict[str, object]]] = {}

    def _table(self) -> dict[str, object]:
        key = self.queryset.model._meta.label
        loaded_at, table = self._tables.get(key, (0.0, {}))
        if time.monotonic() - loaded_at > self.cache_seconds:
            table = {getattr(obj, self.to_field_name): obj for obj in self.queryset}
            self._tables[key] = (time.monotonic(), table)
        return table

    @classmethod
    def forget(cls, **kwargs) -> None:
        """Receiver for post_save/post_delete of the looked-up models."""
        cls._tables.clear()

    def to_python(self, value):
        if value in self.empty_values:
            return None
        obj = self._table().get(str(value))
        if obj is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return obj


class CategoryChoiceField(CachedCodeChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return f"{obj.parent.name} / {obj.name}" if obj.parent_id else obj.name


# Django's stock "确保该变量包含不超过…" reads like a machine; say it as a person would.
TOO_LONG = _("Please keep this within %(limit_value)d characters (now %(show_value)d).")


def _text_limit() -> int:
    return settings.MINSHENG["MAX_TEXT_LENGTH"]


class JsonObjectForm(forms.Form):
    """A form that also validates a parsed JSON object (the API) with the same fields.

    Browsers can only send text; JSON can send anything. ``form_data_from_json``
    turns numbers and booleans into text and reports lists, objects and text
    that cannot be stored, so they become this field's only error instead of
    being stored as ``"['a', 'b']"`` or crashing the database.
    """

    def __init__(self, data=None, *args, **kwargs):
        self.json_errors: dict[str, str] = {}
        if data is not None and not hasattr(data, "getlist"):
            data, self.json_errors = form_data_from_json(data)
        super().__init__(data, *args, **kwargs)

    def full_clean(self) -> None:
        super().full_clean()
        for name, message in self.json_errors.items():
            # Files come only as multipart parts: a JSON "attachments": [] is ignored like before.
            field = self.fields.get(name)
            if field is not None and not isinstance(field, forms.FileField) and self._errors is not None:
                self._errors[name] = self.error_class([message])
                self.cleaned_data.pop(name, None)


class SubmissionForm(JsonObjectForm):
    """Everything a citizen fills in. ``category`` and ``district`` are given by code."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect)
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True).select_related("parent"),
        to_field_name="code",
        required=False,
        empty_label=_("Not sure — let the dispatcher decide"),
    )
    title = forms.CharField(label=_("Title"), max_length=120)
    text = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Where, when, what. Up to 5,000 characters."),
    )
    district = CachedCodeChoiceField(
        label=_("District"), queryset=District.objects.all(), to_field_name="code", empty_label=_("Choose…")
    )
    address = forms.CharField(label=_("Address or place"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=_("Latitude"), required=False, min_value=-90, max_value=90, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, max_digits=9, decimal_places=6
    )
    # "Is this the same problem?": the signed token of a nearby open case the citizen chose (maps app).
    same_as = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    attachments = MultipleFileField(
        label=_("Photos or PDF"),
        help_text=_("Up to 5 files: JPEG, PNG, GIF, WebP or PDF, 10 MB each."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"}),
    )
    name = forms.CharField(label=_("Your name"), max_length=60, required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    # The column's length: Django's EmailValidator alone lets 320 characters through.
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    is_anonymous = forms.BooleanField(
        label=_("Submit anonymously"),
        required=False,
        help_text=_("We will not be able to call you back; follow the case with the tracking number."),
    )
    may_publish = forms.BooleanField(
        label=_("My submission and the reply may be published (without my name and contacts)"), required=False
    )
    # Honeypot: hidden from people, filled by naive bots.
    website = forms.CharField(label=_("Leave this empty"), required=False)
    client_token = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    # Files kept from an earlier try of this form (see ``feedback.pending_uploads``).
    pending_files = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("client_token", secrets.token_urlsafe(24))
        limit = _text_limit()
        self.fields["text"].validators.append(MaxLengthValidator(limit))
        # No maxlength attribute: the browser would cut pasted text without a word. A counter says it instead.
        self.fields["text"].widget.attrs.update({"data-maxlength": str(limit), "aria-describedby": "id_text_counter"})
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.error_messages["max_length"] = TOO_LONG

    def clean_pending_files(self) -> list[dict]:

        token = self.cleaned_data["pending_files"].strip()
        if not token:
            return []
        try:
            return pending_load(token)
        except signing.BadSignature:
            raise ValidationError(
                _("The files you chose earlier have expired. Please choose them again."), code="pending_expired"
            ) from None

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return phone_normalize(phone) if phone else ""

    def clean_client_token(self) -> str:
        token = self.cleaned_data["client_token"].strip()
        if token and not re.fullmatch(r"[A-Za-z0-9_\-]{16,64}", token):
            raise ValidationError(_("The form is damaged. Please reload the page."))
        return token

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise ValidationError(_("Your submission could not be accepted."), code="honeypot")
        # A contact that was given but refused has its own error next to it; "give a contact" would contradict it.
        refused = {"phone", "email"} & set(self.errors)
        if not data.get("is_anonymous") and not (data.get("phone") or data.get("email")) and not refused:
            message = _("Give a phone number or an email address, or choose to submit anonymously.")
            self.add_error("phone", message)
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both latitude and longitude, or neither."))
        elif data.get("latitude") is not None:
            problem = point_problem(float(data["latitude"]), float(data["longitude"]))
            if problem:
                self.add_error("latitude", problem)
        if data.get("is_anonymous"):
            data["name"] = ""
        limit = settings.MINSHENG["MAX_ATTACHMENTS"]
        if len(data.get("attachments") or []) + len(data.get("pending_files") or []) > limit:
            self.add_error("attachments", _("At most %(count)d files can be attached.") % {"count": limit})
        return data

    def submission_data(self) -> dict:
        """The cleaned fields as ``submission_create`` takes them (kept files first, then new ones)."""

        data = {k: v for k, v in self.cleaned_data.items() if k not in {"website", "client_token", "pending_files"}}
        data["title"] = data["title"].strip()
        data["attachments"] = pending_files(self.cleaned_data.get("pending_files") or []) + list(
            data.get("attachments") or []
        )
        return data

    def files_to_keep(self) -> list:
        """After a failed validation: the new files that passed their own checks."""
        if "attachments" in self.errors:
            return []
        return list(self.cleaned_data.get("attachments") or [])


class TrackForm(forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=32)
    secret = forms.CharField(
        label=_("Secret code"),
        max_length=64,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )

    def clean_tracking_number(self) -> str:
        return self.cleaned_data["tracking_number"].strip().upper()

    def clean_secret(self) -> str:
        return self.cleaned_data["secret"].strip()


class RatingForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you?"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    is_resolved = forms.TypedChoiceField(
        label=_("Was the problem resolved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should it be handled again?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MaterialAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(
        label=_("Photos or PDF"),
        help_text=_("Up to 5 files: JPEG, PNG, GIF, WebP or PDF, 10 MB each."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"}),
    )


class ContactForm(forms.Form):
    """ "My cases": the phone number or e-mail address given with the cases."""

    contact = forms.CharField(
        label=_("Phone number or e-mail address"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "text"}),
    )

    def clean_contact(self) -> Contact:
        return contact_parse(self.cleaned_data["contact"])


class AccessCodeForm(forms.Form):
    code = forms.CharField(
        label=_("The code you received"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class UrgeForm(forms.Form):
    reason = forms.CharField(
        label=_("Anything to add (optional)"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw it?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
