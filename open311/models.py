"""Open311 GeoReport v2: client keys, service definitions, and what a client posted."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATATYPES = ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
LIST_DATATYPES = {"singlevaluelist", "multivaluelist"}


class ApiKey(models.Model):
    """One key per client application. Only a hash is stored; the key is shown once."""

    name = models.CharField(_("client application"), max_length=100, unique=True)
    key_prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Untick to revoke the key."))
    rate_limit_per_minute = models.PositiveIntegerField(
        _("requests posted per minute"), default=60, help_text=_("POST requests allowed per minute with this key.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


def validate_attributes(value) -> None:
    """The attribute list of a GeoReport v2 service definition."""
    if not isinstance(value, list):
        raise ValidationError(_("Attributes must be a list."))
    codes = set()
    for index, attribute in enumerate(value, start=1):
        if not isinstance(attribute, dict):
            raise ValidationError(_("Attribute %(n)s must be an object.") % {"n": index})
        code = attribute.get("code")
        if not isinstance(code, str) or not code.strip() or code in codes:
            raise ValidationError(_("Attribute %(n)s needs a unique text code.") % {"n": index})
        codes.add(code)
        if attribute.get("datatype") not in DATATYPES:
            raise ValidationError(
                _("Attribute %(code)s: datatype must be one of %(types)s.")
                % {"code": code, "types": ", ".join(DATATYPES)}
            )
        if not isinstance(attribute.get("description", ""), str):
            raise ValidationError(_("Attribute %(code)s: the description must be text.") % {"code": code})
        values = attribute.get("values", [])
        if attribute["datatype"] in LIST_DATATYPES:
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, dict) and str(v.get("key", "")).strip() and v.get("name") for v in values)
            ):
                raise ValidationError(
                    _("Attribute %(code)s: a list type needs values, each with a key and a name.") % {"code": code}
                )


class ServiceDefinition(models.Model):
    """Extra fields a category asks for (GeoReport v2 ``services/{service_code}``)."""

    category = models.OneToOneField(
        "city.Category", on_delete=models.CASCADE, related_name="open311_definition", verbose_name=_("category")
    )
    attributes = models.JSONField(
        _("attributes"),
        default=list,
        blank=True,
        validators=[validate_attributes],
        help_text=_(
            'A list of objects: {"code", "datatype" (string, number, datetime, text, singlevaluelist, '
            'multivaluelist), "required", "description", "order", "datatype_description", '
            '"values": [{"key", "name"}]}.'
        ),
    )

    class Meta:
        verbose_name = _("Open311 service definition")
        verbose_name_plural = _("Open311 service definitions")

    def __str__(self) -> str:
        return str(self.category)

    def variable_attributes(self) -> list[dict]:
        return sorted(
            (a for a in self.attributes if a.get("variable", True)), key=lambda a: (a.get("order") or 0, a["code"])
        )


class ServiceRequest(models.Model):
    """What an Open311 client posted, beside the submission it created."""

    submission = models.OneToOneField(
        "feedback.Submission", on_delete=models.CASCADE, related_name="open311_request", verbose_name=_("submission")
    )
    api_key = models.ForeignKey(ApiKey, null=True, on_delete=models.SET_NULL, related_name="requests")
    token = models.CharField(max_length=40, unique=True)
    attributes = models.JSONField(default=dict, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return self.token
