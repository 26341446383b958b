"""Where the city's districts are. Coordinates are WGS-84; GeoJSON orders them [longitude, latitude]."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DistrictBoundary(models.Model):
    """A district's outline, used to tell which district a pin is in (point-in-polygon with shapely)."""

    district = models.OneToOneField(
        "city.District", on_delete=models.CASCADE, related_name="boundary", verbose_name=_("district")
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


class HotspotCell(models.Model):
    """Open and overdue cases in one base cell of the hot-spot grid (``HOTSPOT_BASE`` degrees), as of the last
    refresh. Rebuilt whole every minute by ``maps.services.hotspots_refresh``: "overdue" changes with the clock,
    not with an event, so a periodic rebuild is the one way the counts stay right."""

    gy = models.IntegerField()  # floor(latitude / base)
    gx = models.IntegerField()  # floor(longitude / base)
    open = models.IntegerField()
    overdue = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gy", "gx"], name="maps_hotspotcell_once")]


class HotspotRollup(models.Model):
    """The one row saying when the cells were last rebuilt (and serialising two rebuilds)."""

    computed_at = models.DateTimeField(null=True)
    base = models.FloatField(default=0.005)
    cases = models.IntegerField(default=0)
