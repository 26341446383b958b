"""Coordinates, shapes and point-in-polygon: the one geometry module every app may use.

Storage is WGS-84 everywhere (``Submission.latitude/longitude``, district boundaries,
routing areas, Open311). GeoJSON orders a position ``[longitude, latitude]``; the
functions here take ``lat, lng`` in that order to match the model fields.

GCJ-02 ("Mars coordinates") is the offset system Chinese map providers (Tianditu's
GCJ layers, AMap/Gaode, Tencent) draw their tiles in: a WGS-84 point drawn on such a
tile lands 100–700 m off. ``wgs84_to_gcj02`` shifts a stored point for display on
those tiles and ``gcj02_to_wgs84`` turns a pin dropped on them back into storage
coordinates. Outside mainland China the offset is zero (the providers do not apply it).
"""

from __future__ import annotations

import math
from typing import Any

from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

# Krasovsky 1940 ellipsoid, as the GCJ-02 algorithm uses it.
_A = 6378245.0
_EE = 0.00669342162296594323


def out_of_china(lat: float, lng: float) -> bool:
    """The rough box outside which GCJ-02 applies no offset."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj_delta(lat: float, lng: float) -> tuple[float, float]:
    d_lat = _transform_lat(lng - 105.0, lat - 35.0)
    d_lng = _transform_lng(lng - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return d_lat, d_lng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    """A stored (WGS-84) point as a GCJ-02 map draws it."""
    if out_of_china(lat, lng):
        return lat, lng
    d_lat, d_lng = _gcj_delta(lat, lng)
    return lat + d_lat, lng + d_lng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """A point picked on a GCJ-02 map, back in WGS-84 (iterated to within ~1e-7 degrees, a centimetre)."""
    if out_of_china(lat, lng):
        return lat, lng
    wgs_lat, wgs_lng = lat, lng
    for _ in range(30):
        g_lat, g_lng = wgs84_to_gcj02(wgs_lat, wgs_lng)
        err_lat, err_lng = g_lat - lat, g_lng - lng
        wgs_lat, wgs_lng = wgs_lat - err_lat, wgs_lng - err_lng
        if max(abs(err_lat), abs(err_lng)) < 1e-9:
            break
    return wgs_lat, wgs_lng


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine on a 6,371 km sphere)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371000.0 * math.asin(math.sqrt(h))


class ShapeError(ValueError):
    """A GeoJSON geometry that cannot be used as an area (the message says why, for a person)."""


def area_from_geojson(geometry: Any) -> BaseGeometry:
    """A GeoJSON Polygon or MultiPolygon in WGS-84 [lng, lat], checked: closed, valid, on the Earth."""
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ShapeError("An area must be a GeoJSON Polygon or MultiPolygon.")
    try:
        area = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise ShapeError(f"The area's coordinates cannot be read ({exc}).") from None
    if area.is_empty:
        raise ShapeError("The area has no points.")
    min_lng, min_lat, max_lng, max_lat = area.bounds
    if not (-180 <= min_lng <= max_lng <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ShapeError("The area's coordinates are outside -180..180 longitude or -90..90 latitude.")
    if not area.is_valid:
        raise ShapeError("The area's outline crosses itself.")
    return area


def prepared(area: BaseGeometry) -> PreparedGeometry:
    return prep(area)


def contains(area: PreparedGeometry | BaseGeometry, lat: float, lng: float) -> bool:
    """Whether the point lies inside or on the border of ``area``."""
    point = Point(lng, lat)
    return bool(area.contains(point) or area.intersects(point))


# Checks a stored point must pass (e.g. "inside the city"), registered by the app that knows the city
# (``maps``) so the doors that take coordinates (the submit form, the JSON API, Open311) need not import it.
PointCheck = Any  # Callable[[float, float], str | None]: a message for the user, or None when the point is fine
_point_checks: list[PointCheck] = []


def register_point_check(check: PointCheck) -> None:
    if check not in _point_checks:
        _point_checks.append(check)


def point_problem(lat: float, lng: float) -> str | None:
    """The first registered check's complaint about the point, or None."""
    for check in _point_checks:
        problem = check(lat, lng)
        if problem:
            return str(problem)
    return None
