"""The maps' JSON: where a pin is, open cases nearby, hot-spot cells (supervisors), the board's points."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from city.models import Category
from maps import selectors


class IsSupervisor(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_supervisor)


class PointQuery(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text="WGS-84 latitude.")
    lng = serializers.FloatField(min_value=-180, max_value=180, help_text="WGS-84 longitude.")


class NearbyQuery(PointQuery):
    category = serializers.CharField(required=False, allow_blank=True, max_length=40, help_text="Category code.")

    def validate_category(self, value: str) -> Category | None:
        if not value:
            return None
        category = Category.objects.filter(code=value, is_active=True).first()
        if category is None:
            raise serializers.ValidationError(_("No category has this code."))
        return category


class GridQuery(serializers.Serializer):
    south = serializers.FloatField(min_value=-90, max_value=90, required=False, default=-90)
    west = serializers.FloatField(min_value=-180, max_value=180, required=False, default=-180)
    north = serializers.FloatField(min_value=-90, max_value=90, required=False, default=90)
    east = serializers.FloatField(min_value=-180, max_value=180, required=False, default=180)
    size = serializers.FloatField(min_value=0.001, max_value=1.0, required=False, help_text="Cell size in degrees.")

    def validate(self, attrs):
        if attrs["south"] > attrs["north"] or attrs["west"] > attrs["east"]:
            raise serializers.ValidationError(_("The box's south must not exceed its north, nor west its east."))
        return attrs


class Locate(APIView):
    """Which district a point is in (public: the submit form's pin)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[PointQuery],
        responses=inline_serializer(
            "MapLocation",
            {
                "district": serializers.CharField(allow_null=True),
                "district_name": serializers.CharField(allow_null=True),
                "inside_city": serializers.BooleanField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        query = PointQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        lat, lng = query.validated_data["lat"], query.validated_data["lng"]
        district = selectors.district_at(lat, lng)
        return Response(
            {
                "district": district.code if district else None,
                "district_name": district.name if district else None,
                "inside_city": selectors.inside_city(lat, lng),
            }
        )


class Nearby(APIView):
    """Open cases near a point in the same or a related category ("是这个问题吗?"), nothing personal."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[NearbyQuery],
        responses=inline_serializer(
            "NearbyCase",
            {
                "token": serializers.CharField(),
                "title": serializers.CharField(),
                "category": serializers.CharField(),
                "distance_m": serializers.IntegerField(),
                "status": serializers.CharField(),
                "submitted_on": serializers.CharField(),
            },
            many=True,
        ),
    )
    def get(self, request: Request) -> Response:
        query = NearbyQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = selectors.nearby_open_cases(
            lat=query.validated_data["lat"],
            lng=query.validated_data["lng"],
            category=query.validated_data.get("category"),
        )
        return Response([case.__dict__ for case in found])


class Hotspots(APIView):
    """Open and overdue cases per grid cell, and open surge alerts (supervisors)."""

    permission_classes = [IsSupervisor]

    @extend_schema(
        parameters=[GridQuery],
        responses=inline_serializer(
            "Hotspots",
            {
                "as_of": serializers.DateTimeField(allow_null=True),
                "cells": serializers.ListField(),
                "alerts": serializers.ListField(),
                "size": serializers.FloatField(),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        query = GridQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        size = data.get("size") or selectors.map_settings()["GRID_SIZE"]
        bounds = selectors.Bounds(data["south"], data["west"], data["north"], data["east"])
        cells, as_of = selectors.hotspot_map(bounds=bounds, size=size, now=timezone.now())
        alerts = selectors.surge_alert_points()
        return Response({"size": size, "as_of": as_of, "cells": cells, "alerts": alerts})


class BoardPoints(APIView):
    """Published cases at public precision (rounded server-side; never the stored point)."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses=inline_serializer(
            "BoardPoint",
            {
                "tracking_number": serializers.CharField(),
                "title": serializers.CharField(),
                "category": serializers.CharField(),
                "lat": serializers.FloatField(),
                "lng": serializers.FloatField(),
            },
            many=True,
        )
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.board_points())


class CityLayers(APIView):
    """The offline base map: district outlines and main roads as GeoJSON (public)."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses=inline_serializer(
            "CityLayers", {"type": serializers.CharField(), "features": serializers.ListField()}
        )
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.city_layers())
