"""Read-only JSON for escalations, scoped like the pages.

Supervisors and dispatchers read every department's records; department staff
and heads read those of their own departments' cases; nobody else reads any.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework import generics, serializers

from deadlines.models import Escalation


def records_scope(user, queryset: QuerySet, department_field: str) -> QuerySet:
    if user.is_supervisor or user.is_dispatcher:
        return queryset
    return queryset.filter(**{f"{department_field}__in": user.department_ids()})


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
        return records_scope(self.request.user, queryset, "department")
