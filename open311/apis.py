"""Open311 GeoReport v2 endpoints: thin views over selectors and services.

Liberal in what we accept: ``api_key`` and ``jurisdiction_id`` from the body
or the query string, a present but empty optional parameter counts as
absent, form, multipart or JSON bodies. Exact in what we send (see
``open311.serializers``). Every error is ``errors[]`` with ``code`` and
``description``, in JSON or XML like the answer.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, time, timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.plumbing import build_array_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from open311 import selectors, services
from open311.renderers import Open311JSONRenderer, Open311XMLRenderer
from open311.serializers import (
    DiscoveryDoc,
    Open311ErrorDoc,
    PostedRequestDoc,
    RequestCreateDoc,
    RequestCreateSerializer,
    RequestDoc,
    ServiceDefinitionDoc,
    ServiceDoc,
    TokenDoc,
    discovery_data,
    posted_data,
    request_data,
    requests_data,
    service_data,
    service_definition_data,
)
from portal.api import ApiAutoSchema, RejectNullCharactersMixin, flatten_errors, from_django_request_error
from portal.cleaning import json_text_problems
from portal.errors import DomainError
from portal.filters import datetime_problem
from portal.parsers import SafeJSONParser
from portal.public_cache import public_cache_key, public_cached

log = logging.getLogger(__name__)

ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
FORMAT_PARAMETER = OpenApiParameter(
    "fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["json", "xml"], description="Answer format: json or xml."
)
JURISDICTION_PARAMETER = OpenApiParameter(
    "jurisdiction_id",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=False,
    description="Optional: this portal serves one jurisdiction.",
)


class SuffixNegotiation(DefaultContentNegotiation):
    """The URL suffix (.json or .xml) decides the format, whatever the Accept header says."""

    def select_renderer(self, request, renderers, format_suffix=None):
        for renderer in renderers:
            if renderer.format == (format_suffix or "json"):
                return renderer, renderer.media_type
        return renderers[0], renderers[0].media_type


class Open311AutoSchema(ApiAutoSchema):
    """Open311 answers errors as a list of {code, description}, in JSON or XML."""

    def error_response(self, code: str) -> dict:
        item = self.resolve_serializer(Open311ErrorDoc(), "response").ref
        schema = build_array_type(item)
        return {"content": {media: {"schema": schema} for media in self.map_renderers("media_type")}, "description": ""}

    def get_tags(self) -> list[str]:
        return ["open311"]

    def _get_format_parameters(self) -> list:
        return []  # the format is the URL suffix

    def error_codes(self) -> list[str]:
        codes = ["400", "404", "429"]
        if self.method == "POST":
            codes.append("403")
        return codes


def error_status_and_description(exc: Exception) -> tuple[int, str, int | None]:
    """(status, description, retry_after) of an error, by the spec's codes."""
    exc = from_django_request_error(exc)
    if isinstance(exc, DomainError):
        return exc.status_code, exc.message, getattr(exc, "retry_after", None)
    if isinstance(exc, Http404):
        return 404, _("Not found."), None
    if isinstance(exc, exceptions.ValidationError):
        messages = [
            f"{field}: {message}" if field != "non_field_errors" else message
            for field, items in flatten_errors(exc.detail).items()
            for message in items
        ]
        return 400, " ".join(messages), None
    if isinstance(exc, exceptions.Throttled):
        return 429, str(exc.detail), int(exc.wait or 1)
    if isinstance(exc, (exceptions.NotAuthenticated, exceptions.AuthenticationFailed, exceptions.PermissionDenied)):
        return 403, str(exc.detail), None
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return 400, str(exc.detail), None
    if isinstance(exc, exceptions.APIException):
        return exc.status_code, str(exc.detail), None
    log.exception("unhandled Open311 error", exc_info=exc)
    return 500, _("A server error occurred."), None


class Open311View(RejectNullCharactersMixin, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [Open311JSONRenderer, Open311XMLRenderer]
    parser_classes = [FormParser, MultiPartParser, SafeJSONParser]
    content_negotiation_class = SuffixNegotiation
    schema = Open311AutoSchema()
    xml_root = "response"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method == "POST":
            self.check_body(request.data)
        jurisdiction = self.param("jurisdiction_id")
        if jurisdiction and jurisdiction != settings.MINSHENG["OPEN311_JURISDICTION_ID"]:
            raise exceptions.NotFound(_("jurisdiction_id %(id)s was not found.") % {"id": jurisdiction})

    def get_format_suffix(self, **kwargs):
        # Named "fmt", not DRF's "format", so the schema generator keeps these paths.
        return kwargs.get("fmt")

    def param(self, name: str) -> str:
        """A parameter from the query string, or for POST the body; empty counts as absent."""
        value = self.request.query_params.get(name, "")
        if not value and self.request.method == "POST":
            body = self.request.data
            value = body.get(name, "") if hasattr(body, "get") else ""
        return str(value).strip() if value is not None else ""

    @staticmethod
    def check_body(data) -> None:
        """A JSON body must be an object whose text can be stored (form bodies always are)."""
        if hasattr(data, "getlist"):
            return
        if not isinstance(data, dict):
            raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        problems = json_text_problems(data)
        if problems:
            raise exceptions.ValidationError({field: [message] for field, message in problems.items()})

    def handle_exception(self, exc):
        status, description, retry_after = error_status_and_description(exc)
        self.xml_root = "errors"
        response = Response([{"code": status, "description": description}], status=status)
        if retry_after is not None:
            response["Retry-After"] = str(retry_after)
        return response


class DiscoveryView(Open311View):
    """Where this GeoReport v2 endpoint is, its formats and whom to contact."""

    xml_root = "discovery"

    @extend_schema(operation_id="open311_discovery", parameters=[FORMAT_PARAMETER], responses={200: DiscoveryDoc})
    def get(self, request, fmt=None):
        base_url = request.build_absolute_uri("/open311/v2/")
        return Response(
            discovery_data(
                base_url=base_url, contact=settings.MINSHENG["OPEN311_CONTACT"], changeset="2026-11-22T00:00:00+08:00"
            )
        )


class ServiceListView(Open311View):
    """The service types a request can be filed under: the leaves of the category tree."""

    xml_root = "services"

    @extend_schema(
        operation_id="open311_services",
        parameters=[FORMAT_PARAMETER, JURISDICTION_PARAMETER],
        responses={200: ServiceDoc(many=True)},
    )
    def get(self, request, fmt=None):
        return Response([service_data(category) for category in selectors.services_list()])


class ServiceDefinitionView(Open311View):
    """The extra fields (attributes) a service asks for; empty when it asks for none."""

    xml_root = "service_definition"

    @extend_schema(
        operation_id="open311_service_definition",
        parameters=[FORMAT_PARAMETER, JURISDICTION_PARAMETER],
        responses={200: ServiceDefinitionDoc},
    )
    def get(self, request, service_code: str, fmt=None):
        return Response(service_definition_data(selectors.service_get(service_code)))


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def _moment(raw: str, name: str, *, end_of_day: bool) -> datetime | None:
    if not raw:
        return None
    invalid = exceptions.ValidationError({name: [_("%(name)s must be an ISO 8601 date and time.") % {"name": name}]})
    try:
        if "T" in raw:
            # A "+" in an unencoded query string arrives as a space.
            moment = parse_datetime(raw.replace(" ", "+"))
        else:
            day = parse_date(raw)
            moment = datetime.combine(day, time.max if end_of_day else time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise invalid
    problem = datetime_problem(moment)  # the API filters' check: an offset such as -19:25 is a 400, not a 500
    if problem:
        raise exceptions.ValidationError({name: [problem]})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


# What GET requests answers depends on: its parameters (jurisdiction_id only passes or fails) and these settings.
LIST_PARAMETERS = ("service_request_id", "service_code", "start_date", "end_date", "status")
LIST_SETTINGS = ("OPEN311_WINDOW_DAYS", "OPEN311_MAX_REQUESTS", "OPEN311_PUBLIC_COORD_DECIMALS")


class RequestListView(Open311View):
    """List requests (newest first, at most 1,000, 90 days by default) or file a new one (api_key required)."""

    xml_root = "service_requests"

    def window(self) -> tuple[datetime, datetime]:
        days = timedelta(days=settings.MINSHENG["OPEN311_WINDOW_DAYS"])
        start = _moment(self.param("start_date"), "start_date", end_of_day=False)
        end = _moment(self.param("end_date"), "end_date", end_of_day=True)
        if start and end:
            if end < start:
                raise exceptions.ValidationError({"end_date": [_("end_date is before start_date.")]})
            if end - start > days + timedelta(days=1):
                raise exceptions.ValidationError(
                    {"end_date": [_("The date range may not span more than %(days)s days.") % {"days": days.days}]}
                )
            return start, end
        if start:
            return start, start + days
        end = end or timezone.now()
        return end - days, end

    @extend_schema(
        operation_id="open311_requests_list",
        parameters=[
            FORMAT_PARAMETER,
            JURISDICTION_PARAMETER,
            OpenApiParameter(
                "service_request_id", str, description="Comma-separated ids; overrides every other filter."
            ),
            OpenApiParameter("service_code", str, description="Comma-separated service codes."),
            OpenApiParameter("start_date", str, description="ISO 8601; default: 90 days before end_date."),
            OpenApiParameter("end_date", str, description="ISO 8601; default: now."),
            OpenApiParameter("status", str, description="open, closed, or both comma-separated."),
        ],
        responses={200: RequestDoc(many=True)},
    )
    def get(self, request, fmt=None):
        statuses = [status.lower() for status in _split(self.param("status"))]
        if any(status not in ("open", "closed") for status in statuses):
            raise exceptions.ValidationError({"status": [_("status must be open or closed.")]})
        start, end = self.window()
        renderer = request.accepted_renderer

        def answer() -> bytes:
            cases = selectors.requests_search(
                service_request_ids=_split(self.param("service_request_id")),
                service_codes=_split(self.param("service_code")),
                statuses=statuses,
                start=start,
                end=end,
                limit=settings.MINSHENG["OPEN311_MAX_REQUESTS"],
            )
            return renderer.render(requests_data(cases), request.accepted_media_type, self.get_renderer_context())

        # The same for every caller (no key, no contact details: requests_data masks them), so the rendered
        # answer is shared for PUBLIC_CACHE_SECONDS. Its key holds all that changes it: format, language, the
        # list's parameters as sent (empty = absent; the default window ends "now", so a minute old at most)
        # and the settings that shape it.
        key = public_cache_key(
            "open311-requests",
            renderer.format,
            translation.get_language(),
            *(self.param(name) for name in LIST_PARAMETERS),
            *(settings.MINSHENG[name] for name in LIST_SETTINGS),
        )
        return HttpResponse(
            public_cached(key, answer), content_type=f"{renderer.media_type}; charset={renderer.charset}"
        )

    def attributes(self) -> dict[str, list[str]]:
        data = self.request.data
        found: dict[str, list[str]] = {}
        if isinstance(data.get("attribute"), dict):  # a JSON body
            for code, value in data["attribute"].items():
                values = value if isinstance(value, list) else [value]
                if any(isinstance(v, (list, dict)) or v is None for v in values):
                    raise exceptions.ValidationError(
                        {f"attribute[{code}]": [_("Send text, a number or a list of them.")]}
                    )
                found[str(code)] = [v if isinstance(v, str) else json.dumps(v) for v in values]
        for key in data.keys():
            match = ATTRIBUTE_KEY.match(key)
            if match:
                values = data.getlist(key) if hasattr(data, "getlist") else [data[key]]
                found.setdefault(match.group(1), []).extend(str(v) for v in values)
        for code, values in found.items():
            if "\x00" in code or any("\x00" in v for v in values):
                raise exceptions.ValidationError({f"attribute[{code}]": [_("Null characters are not allowed.")]})
        return found

    @extend_schema(
        operation_id="open311_requests_create",
        parameters=[FORMAT_PARAMETER],
        request=RequestCreateDoc,
        responses={200: PostedRequestDoc(many=True)},
        description=(
            "Form-encoded. Attributes go as attribute[CODE]=value, or attribute[CODE][]=value for lists. "
            "The request stays private unless the citizen consents: may_publish=true (or "
            "attribute[may_publish]=true, for clients that send only the spec's fields)."
        ),
    )
    def post(self, request, fmt=None):
        api_key = services.api_key_authenticate(raw_key=self.param("api_key"))
        body = {key: request.data.get(key) for key in RequestCreateSerializer().fields if key in request.data}
        form = RequestCreateSerializer(data=body)
        form.is_valid(raise_exception=True)
        services.api_key_consume(api_key=api_key)
        values = {key: value for key, value in form.validated_data.items() if key in SERVICE_REQUEST_FIELDS}
        attributes = self.attributes()
        # Consent as an attribute too, so clients that only send the spec's fields can carry it.
        consent = attributes.pop(CONSENT_ATTRIBUTE, [""])[-1].strip().lower() in CONSENT_WORDS
        values["may_publish"] = values.get("may_publish", False) or consent
        record, secret = services.service_request_create(
            api_key=api_key, attributes=attributes, language=translation.get_language(), **values
        )
        data = posted_data(tracking_number=record.submission.tracking_number, token=record.token, secret=secret)
        # 200, not 201: the spec shows no other success code, and older clients test for 200.
        return Response([data])


# The citizen's consent to publication (extension): may_publish=true, or attribute[may_publish]=true.
CONSENT_ATTRIBUTE = "may_publish"
CONSENT_WORDS = {"true", "1", "yes", "on"}
SERVICE_REQUEST_FIELDS = {
    "service_code",
    "lat",
    "long",
    "address_string",
    "description",
    "email",
    "first_name",
    "last_name",
    "phone",
    "media_url",
    "may_publish",
}


class RequestDetailView(Open311View):
    """One request, as a list of one. Contact details never appear."""

    xml_root = "service_requests"

    @extend_schema(
        operation_id="open311_request",
        parameters=[FORMAT_PARAMETER, JURISDICTION_PARAMETER],
        responses={200: RequestDoc(many=True)},
    )
    def get(self, request, service_request_id: str, fmt=None):
        return Response([request_data(selectors.request_get(service_request_id))])


class TokenView(Open311View):
    """The service_request_id for a token that POST requests returned."""

    xml_root = "service_requests"

    @extend_schema(
        operation_id="open311_token",
        parameters=[FORMAT_PARAMETER, JURISDICTION_PARAMETER],
        responses={200: TokenDoc(many=True)},
    )
    def get(self, request, token: str, fmt=None):
        token, service_request_id = selectors.token_get(token)
        return Response([{"token": token, "service_request_id": service_request_id}])
