"""Read-only JSON for routing decisions, scoped like the pages (``deadlines.apis.records_scope``).

Supervisors and dispatchers read every department's records; department staff
and heads read those of their own departments' cases; nobody else reads any.
"""

from __future__ import annotations

import django_filters
from rest_framework import generics, serializers

from deadlines.apis import records_scope
from routing.models import RoutingDecision


class RoutingDecisionSerializer(serializers.ModelSerializer):
    tracking_number = serializers.CharField(source="submission.tracking_number")
    department = serializers.CharField(source="department.code", allow_null=True, default=None)

    class Meta:
        model = RoutingDecision
        fields = [
            "id", "tracking_number", "source", "rule_id", "rule_name", "department", "suggestions",
            "confidence", "model_version", "created_at",
        ]  # fmt: skip


class RoutingDecisionFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(field_name="department__code")
    tracking_number = django_filters.CharFilter(field_name="submission__tracking_number")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = RoutingDecision
        fields = ["source", "department", "tracking_number", "created_after", "created_before"]


class RoutingDecisionList(generics.ListAPIView):
    """Why each case went where it went: the rule, or the model with its top three, or triage."""

    serializer_class = RoutingDecisionSerializer
    filterset_class = RoutingDecisionFilter
    ordering_fields = ["created_at", "confidence"]
    ordering = ["-created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return RoutingDecision.objects.none()
        queryset = RoutingDecision.objects.select_related("submission", "department")
        return records_scope(self.request.user, queryset, "submission__lead_department")
