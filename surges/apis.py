"""Surge alerts as JSON, for supervisors and administrators (others get 403)."""

from __future__ import annotations

import django_filters
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission

from surges.models import SurgeAlert


class IsSupervisor(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_supervisor)


class SurgeAlertSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.code", allow_null=True, default=None)
    incident = serializers.IntegerField(source="incident_id", allow_null=True)

    class Meta:
        model = SurgeAlert
        fields = ["id", "status", "district", "topic_words", "places", "report_count", "first_at", "latest_at",
                  "raised_at", "incident"]  # fmt: skip


class SurgeAlertDetailSerializer(SurgeAlertSerializer):
    tracking_numbers = serializers.SerializerMethodField()

    class Meta(SurgeAlertSerializer.Meta):
        fields = [*SurgeAlertSerializer.Meta.fields, "tracking_numbers"]

    def get_tracking_numbers(self, alert) -> list[str]:
        return [member.submission.tracking_number for member in alert.members.all()]


class SurgeAlertFilter(django_filters.FilterSet):
    district = django_filters.CharFilter(field_name="district__code")
    raised_after = django_filters.IsoDateTimeFilter(field_name="raised_at", lookup_expr="gte")

    class Meta:
        model = SurgeAlert
        fields = ["status", "district", "raised_after"]


class SurgeAlertList(generics.ListAPIView):
    serializer_class = SurgeAlertSerializer
    permission_classes = [IsSupervisor]
    filterset_class = SurgeAlertFilter
    ordering_fields = ["raised_at", "report_count", "latest_at"]
    ordering = ["-raised_at"]
    queryset = SurgeAlert.objects.select_related("district")


class SurgeAlertDetail(generics.RetrieveAPIView):
    serializer_class = SurgeAlertDetailSerializer
    permission_classes = [IsSupervisor]
    queryset = SurgeAlert.objects.select_related("district").prefetch_related("members__submission")
