"""JSON for citizens' apps: submit, and read one's own case with the secret in a header."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, Throttled, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from feedback import selectors, services
from feedback.forms import SubmissionForm
from feedback.ratelimit import submission_limit, tracking_guess_allowed, tracking_guess_failed
from portal.errors import NotFound as DomainNotFound
from portal.parsers import SafeJSONParser
from portal.ratelimit import rate_limits_check

SECRET_HEADER = "HTTP_X_TRACKING_SECRET"


class SubmissionRequestSerializer(serializers.Serializer):
    """For the OpenAPI schema only: validation is ``SubmissionForm``'s, shared with the web form."""

    kind = serializers.ChoiceField(choices=["complaint", "appeal", "suggestion", "consultation", "report", "praise"])
    category = serializers.CharField(required=False, help_text="Category code, e.g. environment.noise.")
    title = serializers.CharField(max_length=120)
    text = serializers.CharField(max_length=5000)
    district = serializers.CharField(help_text="District code, e.g. dongcheng.")
    address = serializers.CharField(required=False, max_length=200)
    latitude = serializers.DecimalField(required=False, max_digits=9, decimal_places=6)
    longitude = serializers.DecimalField(required=False, max_digits=9, decimal_places=6)
    attachments = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="multipart only; up to 5 images or PDFs, 10 MB each"
    )
    name = serializers.CharField(required=False, max_length=60)
    phone = serializers.CharField(required=False, max_length=32)
    email = serializers.EmailField(required=False)
    is_anonymous = serializers.BooleanField(required=False)
    may_publish = serializers.BooleanField(required=False)
    client_token = serializers.CharField(required=False, help_text="16-64 of A-Z a-z 0-9 - _; makes retries safe.")


class SubmissionCreatedSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    secret = serializers.CharField(
        allow_null=True, help_text="Shown once; null when the same client_token was sent again."
    )
    status = serializers.CharField()
    created = serializers.BooleanField()


class CitizenCaseSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    district = serializers.CharField(source="district.code", allow_null=True, default=None)
    department = serializers.CharField(source="lead_department.name", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    replied_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


def _form_errors(form: SubmissionForm) -> dict[str, list[str]]:
    errors = {field: [str(e) for e in messages] for field, messages in form.errors.items()}
    if "__all__" in errors:
        errors["non_field_errors"] = errors.pop("__all__")
    return errors


class SubmissionCreateApi(APIView):
    """POST /api/v1/submissions/: public, rate limited per client, JSON or multipart (with files).

    ``category`` and ``district`` are codes. Send a ``client_token`` (16–64
    letters, digits, - or _) to make retries safe: the same token returns the
    same case, without its secret.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]
    renderer_classes = [JSONRenderer]

    def check_throttles(self, request) -> None:
        """Deferred to ``post``: the API throttle and the submission limit are counted in one round trip."""

    def _limits_checked(self, request, *, accepted: bool) -> None:
        """Count this request against the API throttles, and an accepted submission against its limit too."""
        throttles = [(t, t.limit_check(request, self)) for t in self.get_throttles()]
        checks = [check for _throttle, check in throttles if check is not None]
        if accepted:
            checks.append(submission_limit(request))
        results = iter(rate_limits_check(checks))
        waits = [throttle.wait() for throttle, check in throttles if check and not throttle.record(next(results))]
        if waits:
            self.throttled(request, max((w or 0) for w in waits))
        if accepted:
            limit = next(results)
            if not limit.allowed:
                raise Throttled(
                    wait=limit.retry_after, detail=_("Too many submissions from your address. Try again later.")
                )

    @extend_schema(
        request=SubmissionRequestSerializer,
        responses={201: SubmissionCreatedSerializer, 200: SubmissionCreatedSerializer},
        auth=[],
    )
    def post(self, request):
        try:
            data = request.data
        except APIException:  # unreadable body: it still counts against the API throttle
            self._limits_checked(request, accepted=False)
            raise
        if not hasattr(data, "getlist") and not isinstance(data, dict):
            self._limits_checked(request, accepted=False)
            raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        form = SubmissionForm(data=data, files=request.FILES)
        valid = form.is_valid()
        # One round trip for every limit; only accepted submissions count against the submission limit.
        self._limits_checked(request, accepted=valid)
        if not valid:
            raise ValidationError(_form_errors(form))
        submission, secret, created = services.submission_create(
            data=form.submission_data(),
            client_token=form.cleaned_data["client_token"] or None,
            channel="api",
            language=get_language() or settings.LANGUAGE_CODE,
        )
        body = SubmissionCreatedSerializer(
            {
                "tracking_number": submission.tracking_number,
                "secret": secret,
                "status": submission.status,
                "created": created,
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class SubmissionDetailApi(APIView):
    """GET /api/v1/submissions/{tracking_number}/ with the secret in ``X-Tracking-Secret``.

    A wrong or missing secret answers 404, exactly like an unknown number.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    renderer_classes = [JSONRenderer]

    @extend_schema(
        responses={200: CitizenCaseSerializer},
        parameters=[OpenApiParameter("X-Tracking-Secret", str, OpenApiParameter.HEADER, required=True)],
        auth=[],
    )
    def get(self, request, tracking_number: str):
        limit = tracking_guess_allowed(request, tracking_number)
        if not limit.allowed:
            raise Throttled(wait=limit.retry_after)
        try:
            submission = selectors.submission_get_by_secret(
                tracking_number=tracking_number, secret=request.META.get(SECRET_HEADER, "")
            )
        except DomainNotFound as exc:
            tracking_guess_failed(request, tracking_number)
            raise NotFound(exc.message) from None
        submission = selectors.submission_get_by_number(tracking_number=submission.tracking_number)
        view = selectors.citizen_view(submission=submission, now=timezone.now())
        body = dict(CitizenCaseSerializer(submission).data)
        body["reply_due_at"] = view.reply_due_at
        body["events"] = [
            {"action": e.action, "at": e.created_at, "department": e.department.name if e.department else None}
            for e in view.events
        ]
        body["replies"] = [
            {"at": r.created_at, "department": r.department.name, "disposition": r.disposition, "text": r.text}
            for r in view.replies
        ]
        body["material_requests"] = [
            {"asked_at": m.asked_at, "question": m.question, "answered_at": m.answered_at}
            for m in view.material_requests
        ]
        response = Response(body)
        response["Cache-Control"] = "no-store"
        return response
