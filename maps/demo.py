"""The demo city's geography: district outlines from the shipped GeoJSON, and a point for each demo case.

Demo cases name a place of their district in the title (``demo.texts.PLACES``); the
case's pin is put near that place (about 150 m of scatter, kept inside the district),
so the same place makes a hot spot, as real reports do.
"""

from __future__ import annotations

import json
import random

from city.models import District
from maps.selectors import CITY_DATA, district_id_at
from maps.services import boundaries_load


def city_geojson() -> dict:
    return json.loads(CITY_DATA.read_text(encoding="utf-8"))


def maps_demo_seed() -> int:
    """Load the demo city's district outlines (idempotent). Returns how many were stored."""
    return boundaries_load(geojson=city_geojson())


def demo_places() -> dict[str, list[tuple[str, float, float]]]:
    """district code -> [(place name, lat, lng)]."""
    places: dict[str, list[tuple[str, float, float]]] = {}
    for feature in city_geojson()["features"]:
        props = feature["properties"]
        if props["kind"] == "place":
            lng, lat = feature["geometry"]["coordinates"]
            places.setdefault(props["district"], []).append((props["name_zh"], lat, lng))
    return places


def demo_point(*, district_code: str, place: str, rng: random.Random) -> tuple[float, float] | None:
    """A plausible pin for a demo case of ``district_code`` at ``place`` (its Chinese name).

    The place (or, when it is not one of the district's, a random one of them)
    plus a normal scatter of ~150 m, retried until the point lies inside the
    district. None when the city has no outlines.
    """
    places = demo_places().get(district_code)
    district = District.objects.filter(code=district_code).first()
    if not places or district is None:
        return None
    named = [p for p in places if p[0] == place]
    _name, lat, lng = named[0] if named else rng.choice(places)
    for _attempt in range(20):
        point = (round(rng.gauss(lat, 0.0014), 6), round(rng.gauss(lng, 0.0016), 6))
        if district_id_at(*point) == district.pk:
            return point
    return round(lat, 6), round(lng, 6)
