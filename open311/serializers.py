"""GeoReport v2 shapes: what we read from clients and what we send them.

The ``*Doc`` serializers describe the answers for the OpenAPI schema; the
``*_data`` functions build them. Exact in what we send: ids and codes are
strings, ``lat``/``long`` numbers, flags booleans, lists always lists.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from city.models import Category
from feedback.masking import mask_text, public_address, public_coordinate
from feedback.models import Status, Submission
from feedback.phones import phone_normalize
from feedback.workflow import action_label
from portal.geo import point_problem

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with the time zone, in the portal's local time."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def keywords_text(raw: str) -> str:
    """Keywords as the spec wants them: one comma-separated string."""
    parts = [part.strip() for part in raw.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")]
    return ", ".join(part for part in parts if part)


# ---- what we read ---------------------------------------------------------


class _Optional(serializers.CharField):
    """An optional text parameter: present but empty counts as absent."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, trim_whitespace=True, **kwargs)


class RequestCreateSerializer(serializers.Serializer):
    api_key = serializers.CharField(required=False, allow_blank=True, help_text="The client application's key.")
    jurisdiction_id = _Optional(max_length=100)
    service_code = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="From GET services."
    )
    lat = _Optional(max_length=40, help_text="WGS84 latitude; give it with long, or give address_string.")
    long = _Optional(max_length=40, help_text="WGS84 longitude.")
    address_string = _Optional(max_length=200)
    address_id = _Optional(max_length=100)
    description = _Optional(max_length=4000)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    first_name = _Optional(max_length=30)
    last_name = _Optional(max_length=30)
    phone = _Optional(max_length=32)
    media_url = serializers.URLField(required=False, allow_blank=True, max_length=500)
    device_id = _Optional(max_length=100)
    account_id = _Optional(max_length=100)
    may_publish = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "Extension: true when the citizen consents to publication. Only such requests appear on GET requests "
            "(text masked, address at road level, coordinates coarsened); the default keeps the request private."
        ),
    )

    @staticmethod
    def _coordinate(raw: str, field: str, limit: int) -> Decimal:
        try:
            value = Decimal(raw)
            # abs() of a huge exponent (1e999999999) overflows the context: also "not a coordinate".
            in_range = value.is_finite() and abs(value) <= limit
        except ArithmeticError:
            in_range = False
        if not in_range:
            raise serializers.ValidationError(
                {
                    field: [
                        _("%(field)s must be a number between -%(limit)s and %(limit)s.")
                        % {"field": field, "limit": limit}
                    ]
                }
            )
        return value.quantize(Decimal("0.000001"))

    def validate_phone(self, value: str) -> str:
        try:
            return phone_normalize(value) if value else ""
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages[0]) from None

    def validate(self, attrs):
        if not attrs.get("service_code"):
            raise serializers.ValidationError({"service_code": [_("service_code was not provided.")]})
        lat, long = attrs.get("lat"), attrs.get("long")
        if bool(lat) != bool(long):
            raise serializers.ValidationError({"lat": [_("lat and long must be given together.")]})
        if lat:
            attrs["lat"] = self._coordinate(lat, "lat", 90)
            attrs["long"] = self._coordinate(long, "long", 180)
            problem = point_problem(float(attrs["lat"]), float(attrs["long"]))
            if problem:
                raise serializers.ValidationError({"lat": [problem]})
        else:
            attrs["lat"] = attrs["long"] = None
        if attrs["lat"] is None and not attrs.get("address_string") and not attrs.get("address_id"):
            raise serializers.ValidationError({"lat": [_("A location is required: lat and long, or address_string.")]})
        return attrs


class RequestCreateDoc(RequestCreateSerializer):
    """The POST body as documented: the spec requires api_key and service_code (missing → 403 / 400)."""

    api_key = serializers.CharField(help_text="The client application's key.")
    service_code = serializers.CharField(max_length=40, help_text="From GET services.")
    lat = serializers.FloatField(
        required=False, min_value=-90, max_value=90, help_text="WGS84 latitude; with long, or give address_string."
    )
    long = serializers.FloatField(required=False, min_value=-180, max_value=180, help_text="WGS84 longitude.")


# ---- what we send: documentation of the shapes ------------------------------


class Open311ErrorDoc(serializers.Serializer):
    code = serializers.IntegerField(help_text="The HTTP status code.")
    description = serializers.CharField()


class EndpointDoc(serializers.Serializer):
    specification = serializers.CharField()
    url = serializers.CharField()
    changeset = serializers.CharField()
    type = serializers.CharField()
    formats = serializers.ListField(child=serializers.CharField())


class DiscoveryDoc(serializers.Serializer):
    changeset = serializers.CharField()
    contact = serializers.CharField()
    key_service = serializers.CharField()
    endpoints = EndpointDoc(many=True)


class ServiceDoc(serializers.Serializer):
    service_code = serializers.CharField()
    service_name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    metadata = serializers.BooleanField(help_text="True when services/{service_code} lists attributes.")
    type = serializers.ChoiceField(choices=["realtime", "batch", "blackbox"])
    keywords = serializers.CharField(allow_blank=True, help_text="Comma-separated.")
    group = serializers.CharField()


class ValueDoc(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class AttributeDoc(serializers.Serializer):
    variable = serializers.BooleanField()
    code = serializers.CharField()
    datatype = serializers.ChoiceField(
        choices=["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    )
    required = serializers.BooleanField()
    datatype_description = serializers.CharField(allow_blank=True)
    order = serializers.IntegerField()
    description = serializers.CharField(allow_blank=True)
    values = ValueDoc(many=True)


class ServiceDefinitionDoc(serializers.Serializer):
    service_code = serializers.CharField()
    attributes = AttributeDoc(many=True)


class PostedRequestDoc(serializers.Serializer):
    service_request_id = serializers.CharField(help_text="The case's tracking number.")
    token = serializers.CharField()
    service_notice = serializers.CharField(allow_blank=True)
    account_id = serializers.CharField(allow_null=True)
    tracking_secret = serializers.CharField(
        help_text="Extension: with the tracking number, lets the citizen follow the case on the portal."
    )


class NoteDoc(serializers.Serializer):
    datetime = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "closed"])
    type = serializers.CharField(help_text="The step, e.g. route, sign_for, reply.")
    summary = serializers.CharField()


class RequestDoc(serializers.Serializer):
    service_request_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "closed"])
    status_notes = serializers.CharField(allow_null=True, help_text="The latest reply.")
    service_name = serializers.CharField(allow_null=True)
    service_code = serializers.CharField(allow_null=True)
    description = serializers.CharField(allow_blank=True)
    agency_responsible = serializers.CharField(allow_null=True, help_text="The lead department.")
    service_notice = serializers.CharField(allow_null=True)
    requested_datetime = serializers.CharField()
    updated_datetime = serializers.CharField()
    expected_datetime = serializers.CharField(allow_null=True, help_text="When the reply is due.")
    address = serializers.CharField(allow_null=True)
    address_id = serializers.CharField(allow_null=True)
    zipcode = serializers.CharField(allow_null=True)
    lat = serializers.FloatField(allow_null=True)
    long = serializers.FloatField(allow_null=True)
    media_url = serializers.CharField(allow_null=True)
    notes = NoteDoc(many=True, help_text="Extension: the public history of the case.")


class TokenDoc(serializers.Serializer):
    token = serializers.CharField()
    service_request_id = serializers.CharField()


# ---- what we send: building the answers ------------------------------------


def service_data(category: Category) -> dict:
    definition = getattr(category, "open311_definition", None)
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(definition and definition.variable_attributes()),
        "type": "realtime",
        "keywords": keywords_text(category.keywords),
        "group": (category.parent or category).name,
    }


def attribute_data(attribute: dict, index: int) -> dict:
    return {
        "variable": bool(attribute.get("variable", True)),
        "code": str(attribute["code"]),
        "datatype": attribute["datatype"],
        "required": bool(attribute.get("required", False)),
        "datatype_description": str(attribute.get("datatype_description", "")),
        "order": int(attribute.get("order") or index),
        "description": str(attribute.get("description", "")),
        "values": [{"key": str(v["key"]), "name": str(v["name"])} for v in attribute.get("values", [])],
    }


def service_definition_data(category: Category) -> dict:
    definition = getattr(category, "open311_definition", None)
    attributes = definition.variable_attributes() if definition else []
    return {
        "service_code": category.code,
        "attributes": [attribute_data(a, i) for i, a in enumerate(attributes, start=1)],
    }


def open_or_closed(status: str) -> str:
    return "closed" if status == Status.CLOSED else "open"


def requests_data(cases: list[Submission]) -> list[dict]:
    """Several requests; each step's label is translated once, not once per note."""
    labels: dict[str, str] = {}
    for case in cases:
        for event in case.public_events:
            if event.action not in labels:
                labels[event.action] = str(action_label(event.action))
    return [request_data(case, labels=labels) for case in cases]


def public_text(text: str, case: Submission) -> str:
    """``text`` through the portal's one masking function, as the board shows it.

    Every phone number, e-mail address and ID-card number (the citizen's or a
    third party's), and the citizen's own name, phone, e-mail and address.
    """
    names = [case.name, *case.name.split()]
    return mask_text(text, names=names, addresses=[case.address, case.phone, case.email])


def _coordinate(value: Decimal | None) -> float | None:
    return public_coordinate(value, settings.MINSHENG["OPEN311_PUBLIC_COORD_DECIMALS"])


def request_data(case: Submission, *, labels: dict[str, str] | None = None) -> dict:
    """One request as GET requests shows it, for anyone: masked text, the road and a coarse position.

    Contact details and identity numbers never appear; the address keeps its
    road, never a house or flat number; coordinates are rounded to
    ``OPEN311_PUBLIC_COORD_DECIMALS`` places (3 ≈ 100 m).
    """
    labels = labels if labels is not None else {e.action: str(action_label(e.action)) for e in case.public_events}
    record = getattr(case, "open311_request", None)
    deadlines = case.open_reply_deadlines
    replies = case.all_replies
    return {
        "service_request_id": case.tracking_number,
        "status": open_or_closed(case.status),
        "status_notes": public_text(replies[-1].text, case) if replies else None,
        "service_name": case.category.name if case.category else None,
        "service_code": case.category.code if case.category else None,
        "description": public_text(case.text, case),
        "agency_responsible": case.lead_department.name if case.lead_department else None,
        "service_notice": None,
        "requested_datetime": iso(case.created_at),
        "updated_datetime": iso(case.updated_at),
        "expected_datetime": iso(deadlines[0].due_at) if deadlines else None,
        "address": public_address(case.address) or None,
        "address_id": None,
        "zipcode": None,
        "lat": _coordinate(case.latitude),
        "long": _coordinate(case.longitude),
        "media_url": (record.media_url or None) if record else None,
        "notes": [
            {
                "datetime": iso(event.created_at),
                "status": open_or_closed(event.to_status),
                "type": event.action,
                "summary": labels[event.action],
            }
            for event in case.public_events
        ],
    }


def posted_data(*, tracking_number: str, token: str, secret: str) -> dict:
    return {
        "service_request_id": tracking_number,
        "token": token,
        "service_notice": _("Received. Your tracking number is %(number)s.") % {"number": tracking_number},
        "account_id": None,
        "tracking_secret": secret,
    }


def discovery_data(*, base_url: str, contact: str, changeset: str) -> dict:
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": str(gettext_lazy("Ask the portal administrator for an api_key.")),
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": base_url,
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
