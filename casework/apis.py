"""JSON for the staff inbox and every case action: the same selectors and services as the pages."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework import selectors
from casework.actions import case_action_run
from casework.extensions import extension_decide
from casework.filters import InboxFilter
from casework.models import Assignment
from casework.templatetags.casework import working_seconds
from city.calendar import WorkCalendar
from feedback.models import CaseEvent, Submission
from portal.api import ApiErrorSerializer
from portal.errors import DomainError
from portal.filters import filterset_qs_or_400
from portal.pagination import ApiPagination


class CaseListSerializer(serializers.ModelSerializer):
    # Plain strings: the status and kind enums are documented once, by the citizen API.
    status = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    district = serializers.CharField(source="district.code", allow_null=True, default=None)
    lead_department = serializers.CharField(source="lead_department.code", allow_null=True, default=None)
    due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    due_step = serializers.CharField(read_only=True, allow_null=True)
    is_paused = serializers.SerializerMethodField()
    working_seconds_left = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "tracking_number",
            "title",
            "kind",
            "status",
            "priority",
            "category",
            "district",
            "lead_department",
            "created_at",
            "due_at",
            "due_step",
            "is_paused",
            "working_seconds_left",
            "version",
        ]

    def get_is_paused(self, obj) -> bool:
        return getattr(obj, "paused_at", None) is not None

    def get_working_seconds_left(self, obj) -> int | None:
        """Working time until the next deadline (negative when overdue); None without one."""

        due_at = getattr(obj, "due_at", None)
        if due_at is None:
            return None
        return int(working_seconds(self.context.get("calendar"), timezone.now(), due_at))


class EventSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "action", "actor_label", "from_status", "to_status", "reason", "created_at"]


class AssignmentSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    role = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "department", "role", "status", "assigned_at", "signed_for_at", "due_at", "opinion"]


class CaseDetailSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    district = serializers.CharField(source="district.code", allow_null=True, default=None)
    lead_department = serializers.CharField(source="lead_department.code", allow_null=True, default=None)
    events = serializers.SerializerMethodField()
    assignments = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        # Contact details are deliberately absent: they are shown on the page, and each view is recorded.
        fields = [
            "id",
            "tracking_number",
            "title",
            "text",
            "kind",
            "status",
            "priority",
            "category",
            "district",
            "address",
            "lead_department",
            "return_count",
            "reopen_count",
            "created_at",
            "version",
            "events",
            "assignments",
            "actions",
        ]

    def get_events(self, obj) -> list[dict]:
        return EventSerializer(selectors.case_timeline(obj), many=True).data

    def get_assignments(self, obj) -> list[dict]:
        return AssignmentSerializer(selectors.case_assignments(obj), many=True).data

    def get_actions(self, obj) -> list[str]:
        user = self.context["request"].user
        return selectors.page_actions(user, obj, selectors.my_co_assignment(user, obj))


class ActionResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    status = serializers.CharField()
    version = serializers.IntegerField()


class StaffCaseList(APIView):
    """The user's inbox: django-filter filters (tab, status, due, category, district, kind, q, sort)."""

    filter_backends = [DjangoFilterBackend]
    serializer_class = CaseListSerializer

    @extend_schema(
        operation_id="staff_cases_list",
        parameters=[
            # The filterset's choices as enums, so clients (and the input-edge tests) know the valid values.
            OpenApiParameter(
                name,
                OpenApiTypes.STR,
                required=False,
                enum=[str(key) for key, _label in InboxFilter.base_filters[name].extra["choices"]],
            )
            for name in ("tab", "status", "due", "kind", "sort")
        ]
        + [OpenApiParameter(name, OpenApiTypes.STR, required=False) for name in ("category", "district", "q")]
        + [OpenApiParameter("page", OpenApiTypes.INT, required=False)],
        responses={
            200: inline_serializer(
                "StaffCasePage",
                {
                    "count": serializers.IntegerField(),
                    "next": serializers.URLField(allow_null=True),
                    "previous": serializers.URLField(allow_null=True),
                    "results": CaseListSerializer(many=True),
                    "counts": serializers.DictField(child=serializers.IntegerField()),
                },
            ),
            404: ApiErrorSerializer,  # a page past the end
        },
    )
    def get(self, request):
        filterset = InboxFilter(
            request.query_params, queryset=selectors.inbox_base(request.user), request_user=request.user
        )
        cases = filterset_qs_or_400(filterset)  # a bad filter is a 400 in the ApiError shape
        paginator = ApiPagination()
        page = paginator.paginate_queryset(cases, request, view=self)

        data = CaseListSerializer(page, many=True, context={"calendar": WorkCalendar()}).data
        response = paginator.get_paginated_response(data)
        response.data["counts"] = selectors.inbox_counts(request.user)
        return response


class StaffCaseDetail(APIView):
    serializer_class = CaseDetailSerializer

    @extend_schema(operation_id="staff_cases_retrieve", responses=CaseDetailSerializer)
    def get(self, request, pk: int):
        case = selectors.case_get_for_user(request.user, pk)
        return Response(CaseDetailSerializer(case, context={"request": request}).data)


class StaffCaseAction(APIView):
    """POST an action with the same fields as the page's form; 409 when the case changed or the step is not possible."""

    serializer_class = ActionResultSerializer

    @extend_schema(
        operation_id="staff_cases_action",
        request=OpenApiTypes.OBJECT,
        responses={200: ActionResultSerializer},
    )
    def post(self, request, pk: int, action: str):
        case = selectors.case_get_for_user(request.user, pk)
        outcome = case_action_run(name=action, case=case, actor=request.user, data=request.data)
        if not outcome.form.is_valid():
            raise exceptions.ValidationError(outcome.form.errors)  # the ApiError shape, like every other 400
        if outcome.error is not None:
            # A 404 from a service means the case itself, unless the action names another case or department.
            if outcome.error.status_code == 404 and action not in ("mark_duplicate", "dispatch", "accept_return"):
                raise Http404 from None
            raise outcome.error
        case = Submission.objects.get(pk=case.pk)
        return Response({"detail": str(outcome.done), "status": case.status, "version": case.version})


class ExtensionDecision(APIView):
    """Approve or reject a pending extension request (supervisors, or the head of its department)."""

    serializer_class = ActionResultSerializer

    @extend_schema(
        operation_id="staff_extension_decide",
        request=inline_serializer("ExtensionDecisionRequest", {"note": serializers.CharField(required=False)}),
        responses={
            200: inline_serializer(
                "ExtensionDecisionResult", {"id": serializers.IntegerField(), "decision": serializers.CharField()}
            )
        },
    )
    def post(self, request, pk: int, decision: str):

        if decision not in ("approve", "reject"):
            raise Http404
        try:
            result = extension_decide(
                extension_id=pk, actor=request.user, approve=decision == "approve", note=request.data.get("note", "")
            )
        except DomainError as exc:
            # Not yours and does not exist look the same.
            if exc.status_code in (403, 404):
                raise Http404 from None
            raise
        return Response({"id": result.pk, "decision": result.decision})
