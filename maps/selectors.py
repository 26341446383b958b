"""Reads for the maps: which district a point is in, cases nearby, hot-spot cells, public points."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet
from shapely.prepared import PreparedGeometry

from city.models import Category, District
from feedback.masking import mask_text, public_coordinate
from feedback.models import OPEN_STATUSES, Status, Submission
from feedback.selectors import board_queryset
from maps.models import DistrictBoundary
from portal.geo import area_from_geojson, contains, distance_m, prepared
from surges.models import AlertStatus, SurgeAlertMember

CITY_DATA = Path(__file__).resolve().parent / "data" / "qinghe.geojson"
SAME_INCIDENT_SALT = "maps.same-incident"


def map_settings() -> dict[str, Any]:
    return settings.MINSHENG["MAPS"]


# ---- districts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Outline:
    district_id: int
    bbox: tuple[float, float, float, float]  # min_lat, max_lat, min_lng, max_lng
    area: PreparedGeometry


_outlines: tuple[float, list[_Outline]] | None = None
OUTLINES_SECONDS = 60  # boundaries change a few times a year; other processes see a change within a minute


def boundaries_forget(**kwargs) -> None:
    """Receiver for saves and deletes of ``DistrictBoundary``: this process rereads them."""
    global _outlines
    _outlines = None


def _district_outlines() -> list[_Outline]:
    global _outlines
    if _outlines is None or time.monotonic() - _outlines[0] > OUTLINES_SECONDS:
        rows = DistrictBoundary.objects.all()
        found = [
            _Outline(
                row.district_id,
                (row.min_lat, row.max_lat, row.min_lng, row.max_lng),
                prepared(area_from_geojson(row.geometry)),
            )
            for row in rows
        ]
        _outlines = (time.monotonic(), found)
    return _outlines[1]


def district_id_at(lat: float, lng: float) -> int | None:
    """The district whose outline holds the point, or None (outside every outline, or none loaded)."""
    for outline in _district_outlines():
        min_lat, max_lat, min_lng, max_lng = outline.bbox
        if min_lat <= lat <= max_lat and min_lng <= lng <= max_lng and contains(outline.area, lat, lng):
            return outline.district_id
    return None


def district_at(lat: float, lng: float) -> District | None:
    district_id = district_id_at(lat, lng)
    return District.objects.filter(pk=district_id).first() if district_id else None


def city_has_outlines() -> bool:
    return bool(_district_outlines())


def inside_city(lat: float, lng: float) -> bool:
    """True when the point is in one of the districts, or when no outlines are loaded (nothing to check)."""
    return not city_has_outlines() or district_id_at(lat, lng) is not None


def city_layers() -> dict[str, Any]:
    """The offline base map: district outlines from the database, roads and places from the shipped GeoJSON."""
    districts = District.objects.filter(boundary__isnull=False).select_related("boundary")
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "properties": {"kind": "district", "code": d.code, "name": d.name},
            "geometry": d.boundary.geometry,
        }
        for d in districts
    ]
    if features:
        shipped = json.loads(CITY_DATA.read_text(encoding="utf-8"))
        for feature in shipped["features"]:
            if feature["properties"]["kind"] == "road":
                props = feature["properties"]
                name = props["name_en"] if _english() else props["name_zh"]
                features.append({"type": "Feature", "properties": {"kind": "road", "name": name}, **_geom(feature)})
    return {"type": "FeatureCollection", "features": features}


def _geom(feature: dict) -> dict:
    return {"geometry": feature["geometry"]}


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "").startswith("en")


def city_bounds() -> list[list[float]] | None:
    """[[south, west], [north, east]] of all outlines (None before any is loaded)."""
    outlines = _district_outlines()
    if not outlines:
        return None
    return [
        [min(o.bbox[0] for o in outlines), min(o.bbox[2] for o in outlines)],
        [max(o.bbox[1] for o in outlines), max(o.bbox[3] for o in outlines)],
    ]


# ---- cases near a point (before sending: "是这个问题吗?") --------------------------------------------


@dataclass(frozen=True)
class NearbyCase:
    token: str  # signed: what the citizen sends back to join this case's incident
    title: str  # masked; a generic description when the case is not published
    category: str
    distance_m: int
    status: str
    submitted_on: str


def related_category_ids(category: Category | None) -> list[int] | None:
    """The category, its parent and its siblings (None: any category)."""
    if category is None:
        return None
    root_id = category.parent_id or category.pk
    return list(Category.objects.filter(Q(pk=root_id) | Q(parent_id=root_id)).values_list("pk", flat=True))


def nearby_open_cases(
    *, lat: float, lng: float, category: Category | None = None, radius_m: int | None = None, limit: int = 5
) -> list[NearbyCase]:
    """Open cases within ``radius_m`` of the point in the same or a related category, nearest first.

    A box around the point is read through the open-case location index; the
    distance is then exact (haversine). Nothing personal leaves: unpublished
    cases show only their category.
    """
    radius_m = radius_m or map_settings()["NEARBY_RADIUS_M"]
    d_lat = radius_m / 111_320.0
    d_lng = radius_m / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    qs = Submission.objects.filter(
        latitude__isnull=False,
        status__in=[s for s in OPEN_STATUSES if s != Status.CLOSED],
        latitude__range=(lat - d_lat, lat + d_lat),
        longitude__range=(lng - d_lng, lng + d_lng),
        anonymised_at__isnull=True,
    ).select_related("category")
    ids = related_category_ids(category)
    if ids is not None:
        qs = qs.filter(category_id__in=ids)
    found = []
    for case in qs.order_by("-created_at")[:200]:
        metres = distance_m(lat, lng, float(case.latitude or 0), float(case.longitude or 0))
        if metres <= radius_m:
            found.append((metres, case))
    found.sort(key=lambda item: (item[0], item[1].pk))
    return [_nearby(case, metres) for metres, case in found[:limit]]


def _nearby(case: Submission, metres: float) -> NearbyCase:
    from django.utils.translation import gettext as _

    category = case.category.name if case.category else _("Not sure — let the dispatcher decide")
    if case.may_publish:
        title = mask_text(case.title, names=[case.name], addresses=[case.address])
    else:
        title = _("A report about “%(category)s”") % {"category": category}
    return NearbyCase(
        token=signing.dumps(case.pk, salt=SAME_INCIDENT_SALT),
        title=title,
        category=category,
        distance_m=int(round(metres)),
        status=str(Status(case.status).label),
        submitted_on=case.created_at.date().isoformat(),
    )


def same_incident_case_id(token: str, *, max_age_seconds: int = 86400) -> int | None:
    """The case a "same problem" choice points at, or None for a forged or day-old token."""
    try:
        value = signing.loads(token, salt=SAME_INCIDENT_SALT, max_age=max_age_seconds)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


# ---- hot spots (supervisors) ----------------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    south: float
    west: float
    north: float
    east: float


GRID_SQL = """
SELECT floor(latitude::float8 / %(size)s)::int AS gy, floor(longitude::float8 / %(size)s)::int AS gx, count(*)
FROM feedback_submission
WHERE status <> 'closed' AND latitude IS NOT NULL
  AND latitude BETWEEN %(south)s AND %(north)s AND longitude BETWEEN %(west)s AND %(east)s
GROUP BY 1, 2
"""
OVERDUE_SQL = """
SELECT floor(s.latitude::float8 / %(size)s)::int AS gy, floor(s.longitude::float8 / %(size)s)::int AS gx,
       count(DISTINCT s.id)
FROM routing_deadline d JOIN feedback_submission s ON s.id = d.submission_id
WHERE d.is_open AND d.paused_at IS NULL AND d.due_at < %(now)s
  AND s.status <> 'closed' AND s.latitude IS NOT NULL
  AND s.latitude BETWEEN %(south)s AND %(north)s AND s.longitude BETWEEN %(west)s AND %(east)s
GROUP BY 1, 2
"""


HOTSPOT_BASE = 0.005  # degrees: the rebuilt cells' size; a map cell of k × this size adds k × k of them
ROLLUP_FRESH = timedelta(minutes=5)  # older than this (the beat stopped): count from the cases instead

ROLLUP_SQL = """
SELECT floor(gy::float8 / %(k)s)::int, floor(gx::float8 / %(k)s)::int, sum(open)::int, sum(overdue)::int
FROM maps_hotspotcell
WHERE gy BETWEEN %(gy0)s AND %(gy1)s AND gx BETWEEN %(gx0)s AND %(gx1)s
GROUP BY 1, 2
"""


def hotspot_map(*, bounds: Bounds, size: float, now: datetime) -> tuple[list[dict[str, Any]], datetime | None]:
    """The grid for the map: from the rebuilt cells when ``size`` is a multiple of their size and they are
    fresh (a few thousand rows, whatever the case count), else counted from the cases now.

    Returns the cells and the time they are true of (None: now).
    """
    from maps.models import HotspotRollup

    k = round(size / HOTSPOT_BASE)
    rollup = HotspotRollup.objects.filter(pk=1, computed_at__gte=now - ROLLUP_FRESH).first()
    if rollup is None or k < 1 or abs(k * HOTSPOT_BASE - size) > 1e-9 or rollup.base != HOTSPOT_BASE:
        return hotspot_cells(bounds=bounds, size=size, now=now), None
    params = {
        "k": k,
        "gy0": math.floor(bounds.south / HOTSPOT_BASE),
        "gy1": math.floor(bounds.north / HOTSPOT_BASE),
        "gx0": math.floor(bounds.west / HOTSPOT_BASE),
        "gx1": math.floor(bounds.east / HOTSPOT_BASE),
    }
    with connection.cursor() as cursor:
        cursor.execute(ROLLUP_SQL, params)
        rows = sorted(cursor.fetchall())
    cells = [
        {"south": round(gy * size, 6), "west": round(gx * size, 6), "size": size, "open": n_open, "overdue": n_overdue}
        for gy, gx, n_open, n_overdue in rows
        if n_open or n_overdue
    ]
    return cells, rollup.computed_at


def hotspot_cells(*, bounds: Bounds, size: float, now: datetime) -> list[dict[str, Any]]:
    """Open and overdue cases per grid cell of ``size`` degrees, counted from the cases now (two grouped queries).

    The open-case query reads only the partial index ``maps_open_case_point``
    (latitude, longitude WHERE status <> 'closed'); the overdue one starts from
    the open deadlines. A cell is named by its south-west corner.
    """
    params = {"size": size, "south": bounds.south, "north": bounds.north, "west": bounds.west, "east": bounds.east}
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(GRID_SQL, params)
        for gy, gx, count in cursor.fetchall():
            cells[(gy, gx)] = {"open": count, "overdue": 0}
        cursor.execute(OVERDUE_SQL, {**params, "now": now})
        for gy, gx, count in cursor.fetchall():
            cells.setdefault((gy, gx), {"open": 0, "overdue": 0})["overdue"] = count
    return [
        {"south": round(gy * size, 6), "west": round(gx * size, 6), "size": size, **counts}
        for (gy, gx), counts in sorted(cells.items())
    ]


def cell_case_ids(*, south: float, west: float, size: float) -> QuerySet:
    """The ids of one cell's open cases (the drill-down), oldest first; the same cell test as the grid's SQL.

    Ids only, so counting and paging read the location index alone (it includes
    created_at and id); ``cases_by_ids`` then fetches the page's rows.
    """
    gy, gx = math.floor(south / size + 1e-9), math.floor(west / size + 1e-9)
    box = {"latitude__range": (gy * size - 1e-6, (gy + 1) * size + 1e-6)}
    box["longitude__range"] = (gx * size - 1e-6, (gx + 1) * size + 1e-6)
    return (
        Submission.objects.filter(latitude__isnull=False, **box)
        .exclude(status=Status.CLOSED)
        .extra(
            where=["floor(latitude::float8 / %s)::int = %s", "floor(longitude::float8 / %s)::int = %s"],
            params=[size, gy, size, gx],
        )
        .order_by("created_at", "id")
        .values_list("id", flat=True)
    )


def cases_by_ids(ids: list[int]) -> list[Submission]:
    """The cases of a drill-down page, in the page's order."""
    rows = Submission.objects.filter(pk__in=ids).select_related("category", "district", "lead_department")
    return sorted(rows, key=lambda case: (case.created_at, case.pk))


def surge_alert_points() -> list[dict[str, Any]]:
    """Open surge alerts at the mean position of their located cases."""
    rows = (
        SurgeAlertMember.objects.filter(alert__status=AlertStatus.OPEN, submission__latitude__isnull=False)
        .values("alert_id")
        .annotate(lat=Avg("submission__latitude"), lng=Avg("submission__longitude"), count=Count("id"))
        .order_by("alert_id")
    )
    return [
        {
            "alert": row["alert_id"],
            "lat": round(float(row["lat"]), 5),
            "lng": round(float(row["lng"]), 5),
            "count": row["count"],
        }
        for row in rows
    ]


# ---- the public board -----------------------------------------------------------------------------


def public_decimals() -> int:
    """One public precision for every public output (the board's map and Open311 GET): 3 decimals ≈ 100 m."""
    return settings.MINSHENG["OPEN311_PUBLIC_COORD_DECIMALS"]


def board_points(*, limit: int = 2000) -> list[dict[str, Any]]:
    """Published cases with coordinates rounded to the public precision (never the stored point)."""
    decimals = public_decimals()
    qs = (
        board_queryset()
        .filter(latitude__isnull=False)
        .select_related("category")
        .order_by("-replied_at", "-id")[:limit]
    )
    return [
        {
            "tracking_number": case.tracking_number,
            "title": mask_text(case.title, names=[case.name], addresses=[case.address]),
            "category": case.category.name if case.category else "",
            "lat": public_coordinate(case.latitude, decimals),
            "lng": public_coordinate(case.longitude, decimals),
        }
        for case in qs
    ]


def outside_city_problem(lat: float, lng: float) -> str | None:
    """The ``portal.geo`` point check: a point outside every district outline is refused."""
    from django.utils.translation import gettext as _

    if inside_city(lat, lng):
        return None
    return _(
        "This point is outside the city's districts. Move the pin into the city, or leave the map and type the address."
    )
