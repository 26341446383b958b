"""Read-only REST API for the department tree and the category tree.

Public: what offices exist and what can be reported is no secret.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from city.models import Category, Department
from portal.api import RejectNullCharactersMixin


class DepartmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the request's language.")
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    duties = serializers.SerializerMethodField(help_text="The duty catalogue, one item per entry.")

    class Meta:
        model = Department
        fields = ["code", "name", "name_zh", "name_en", "parent", "is_active", "duties"]

    def get_duties(self, department: Department) -> list[str]:
        return [line.strip() for line in department.duties.splitlines() if line.strip()]


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the request's language.")
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    default_department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "name_zh",
            "name_en",
            "parent",
            "default_department",
            "description",
            "keywords",
            "is_active",
        ]


class DepartmentFilter(django_filters.FilterSet):
    parent = django_filters.CharFilter(field_name="parent__code", help_text="Code of the parent department.")
    is_root = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull")
    q = django_filters.CharFilter(method="search", help_text="Part of the code or a name.")

    class Meta:
        model = Department
        fields = ["is_active", "parent", "is_root"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name_zh__icontains=value) | Q(name_en__icontains=value))


class CategoryFilter(DepartmentFilter):
    default_department = django_filters.CharFilter(field_name="default_department__code")

    class Meta:
        model = Category
        fields = ["is_active", "parent", "is_root", "default_department"]


class DepartmentViewSet(RejectNullCharactersMixin, viewsets.ReadOnlyModelViewSet):
    """Departments (承办单位), a tree. Filter by parent, activity, or text."""

    permission_classes = [AllowAny]
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilter
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    ordering_fields = ["code", "sort_order", "name_zh", "name_en"]
    ordering = ["sort_order", "code"]
    queryset = Department.objects.select_related("parent")


class CategoryViewSet(RejectNullCharactersMixin, viewsets.ReadOnlyModelViewSet):
    """Categories (事项分类), a tree, each with the department it goes to by default."""

    permission_classes = [AllowAny]
    serializer_class = CategorySerializer
    filterset_class = CategoryFilter
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    ordering_fields = ["code", "sort_order", "name_zh", "name_en"]
    ordering = ["sort_order", "code"]
    queryset = Category.objects.select_related("parent", "default_department")
