"""KPIs as JSON: the same figures, formulas and minimum-sample rule as the KPI page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from city.models import Department
from oversight.filters import PeriodForm, subtree_ids
from oversight.kpis import department_kpis, min_sample

RateSerializer = inline_serializer(
    "KpiRate",
    {
        "value": serializers.FloatField(allow_null=True),
        "numerator": serializers.IntegerField(),
        "denominator": serializers.IntegerField(),
        "formula": serializers.CharField(),
    },
)
RowSerializer = inline_serializer(
    "KpiRow",
    {
        "department": serializers.CharField(allow_null=True),
        "sample": serializers.IntegerField(),
        "ranked": serializers.BooleanField(),
        "rates": serializers.DictField(child=RateSerializer),
        "median_handling_hours": serializers.FloatField(allow_null=True),
        "p90_handling_hours": serializers.FloatField(allow_null=True),
    },
)


def _row(row, codes: dict[int, str]) -> dict:
    return {
        "department": codes.get(row.department_id) if row.department_id else None,
        "sample": row.sample,
        "ranked": row.is_ranked,
        "rates": {
            key: {"value": r.value, "numerator": r.numerator, "denominator": r.denominator, "formula": r.formula}
            for key, r in row.rates.items()
        },
        # Working hours, submission to reply, less time waiting for the citizen's material.
        "median_handling_hours": row.median_hours,
        "p90_handling_hours": row.p90_hours,
    }


class KpiApi(APIView):
    """KPIs per department and for the whole city over a period (default: the last 30 days).

    Supervisors read every department; a department head reads only their own.
    """

    @extend_schema(
        parameters=[
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("department", OpenApiTypes.STR, description="department code (with its subtree)"),
        ],
        responses=inline_serializer(
            "KpiReport",
            {
                "date_from": serializers.DateField(),
                "date_to": serializers.DateField(),
                "min_sample": serializers.IntegerField(),
                "city": RowSerializer,
                "departments": serializers.ListField(child=RowSerializer),
            },
        ),
    )
    def get(self, request):
        user = request.user
        if not (user.is_supervisor or user.is_department_head):
            raise PermissionDenied
        own_only = not user.is_supervisor
        data = request.query_params.dict()
        department = None
        if data.get("department"):
            department = Department.objects.filter(code=data["department"]).first()
            if department is None or (own_only and department.pk not in user.department_ids()):
                raise ValidationError({"department": [_("Unknown department.")]})
            data["department"] = department.pk
        form = PeriodForm(data)
        form.fields["department"].queryset = Department.objects.all()
        if not form.is_valid():
            raise ValidationError(form.errors)
        departments = set(user.department_ids()) if own_only else None
        if department:
            subtree = subtree_ids(Department, department.pk)
            departments = subtree & departments if own_only else subtree
        rows = department_kpis(form.cleaned_data["first_day"], form.cleaned_data["last_day"], departments=departments)
        codes = dict(Department.objects.values_list("pk", "code"))
        listed = [
            row for dept, row in rows.items() if dept is not None and (departments is None or dept in departments)
        ]
        return Response(
            {
                "date_from": form.cleaned_data["first_day"],
                "date_to": form.cleaned_data["last_day"],
                "min_sample": min_sample(),
                "city": _row(rows[None], codes),
                "departments": [_row(row, codes) for row in sorted(listed, key=lambda r: codes.get(r.department_id))],
            }
        )
