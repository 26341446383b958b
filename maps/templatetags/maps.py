"""``{% map_attrs %}``: the data attributes every map container carries (tiles, their system, the city)."""

from __future__ import annotations

import json

from django import template
from django.urls import reverse
from django.utils.html import format_html

from maps.selectors import city_bounds, map_settings

register = template.Library()


@register.simple_tag
def map_attrs() -> str:
    conf = map_settings()
    return format_html(
        'data-tiles="{}" data-attribution="{}" data-crs="{}" data-city="{}" data-bounds="{}"',
        conf["TILE_URL"],
        conf["TILE_ATTRIBUTION"],
        conf["TILE_CRS"],
        reverse("api-maps-city"),
        json.dumps(city_bounds() or [[30.48, 119.82], [30.76, 120.14]]),
    )
