"""Read-only JSON for routing decisions and escalations, scoped like the pages.

Supervisors and dispatchers read every department's records; department staff
and heads read those of their own departments' cases; nobody else reads any.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework import generics, serializers

from routing.models import Escalation, RoutingDecision


def _scope(user, queryset: QuerySet, department_field: str) -> QuerySet:
    if user.is_supervisor or user.is_dispatcher:
        return queryset
    return queryset.filter(**{f"{department_field}__in": user.department_ids()})


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
        return _scope(self.request.user, queryset, "submission__lead_department")


class EscalationSerializer(serializers.ModelSerializer):
    tracking_number = serializers.CharField(source="submission.tracking_number")
    department = serializers.CharField(source="department.code", allow_null=True, default=None)
    level_name = serializers.CharField(source="get_level_display")

    class Meta:
        model = Escalation
        fields = ["id", "tracking_number", "step", "level", "level_name", "department", "due_at", "instructions",
                  "created_at"]  # fmt: skip


class EscalationFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(field_name="department__code")
    min_level = django_filters.NumberFilter(field_name="level", lookup_expr="gte")
    created_after = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Escalation
        fields = ["step", "level", "min_level", "department", "created_after", "created_before"]


class EscalationList(generics.ListAPIView):
    """Every level of the escalation ladder each overdue case reached, once per level."""

    serializer_class = EscalationSerializer
    filterset_class = EscalationFilter
    ordering_fields = ["created_at", "level", "due_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Escalation.objects.none()
        queryset = Escalation.objects.select_related("submission", "department")
        return _scope(self.request.user, queryset, "department")
