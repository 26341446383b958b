"""Where the city's districts are. Coordinates are WGS-84; GeoJSON orders them [longitude, latitude]."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DistrictBoundary(models.Model):
    """A district's outline, used to tell which district a pin is in (point-in-polygon with shapely)."""

    district = models.OneToOneField(
        "routing.District", on_delete=models.CASCADE, related_name="boundary", verbose_name=_("district")
    )
    geometry = models.JSONField(_("outline (GeoJSON Polygon or MultiPolygon, WGS-84)"))
    # The outline's bounding box, so a point far away is refused without a polygon test.
    min_lat = models.FloatField()
    max_lat = models.FloatField()
    min_lng = models.FloatField()
    max_lng = models.FloatField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("district boundary")
        verbose_name_plural = _("district boundaries")

    def __str__(self) -> str:
        return str(self.district)
