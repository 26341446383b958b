"""Writes for the maps: loading district outlines, and joining a new submission to a nearby case's incident."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from city.models import District
from feedback.models import CaseEvent, Notification, Status, Submission
from feedback.workflow import Action
from maps.models import DistrictBoundary
from maps.selectors import same_incident_case_id
from portal.errors import DomainError
from portal.geo import ShapeError, area_from_geojson
from surges.models import Incident, SubmissionIncident


class BoundaryError(DomainError):
    """A district outline file that cannot be loaded (nothing was changed)."""


def boundaries_load(*, geojson: dict[str, Any]) -> int:
    """Store the outline of every district feature (``properties.kind == "district"``, ``properties.code``).

    All or nothing: an unknown district code or a broken outline raises
    ``BoundaryError`` naming the feature, and no outline changes. Returns how
    many outlines were stored.
    """
    features = geojson.get("features") if isinstance(geojson, dict) else None
    if not isinstance(features, list):
        raise BoundaryError(_("The file is not a GeoJSON FeatureCollection."))
    outlines = []
    for number, feature in enumerate(features, start=1):
        props = (feature or {}).get("properties") or {}
        if props.get("kind", "district") != "district":
            continue
        code = props.get("code")
        district = District.objects.filter(code=code).first()
        if district is None:
            raise BoundaryError(_("Feature %(n)d: no district has the code “%(code)s”.") % {"n": number, "code": code})
        try:
            area = area_from_geojson(feature.get("geometry"))
        except ShapeError as exc:
            raise BoundaryError(
                _("Feature %(n)d (%(code)s): %(why)s") % {"n": number, "code": code, "why": exc}
            ) from None
        outlines.append((district, feature["geometry"], area.bounds))
    with transaction.atomic():
        for district, geometry, (min_lng, min_lat, max_lng, max_lat) in outlines:
            DistrictBoundary.objects.update_or_create(
                district=district,
                defaults={
                    "geometry": geometry,
                    "min_lat": min_lat,
                    "max_lat": max_lat,
                    "min_lng": min_lng,
                    "max_lng": max_lng,
                },
            )
    return len(outlines)


def same_incident_follow(submission: Submission, event: CaseEvent, now: datetime) -> None:
    """The ``on_event`` hook: a submission sent with "this is the same problem" joins that case's incident.

    The choice travels as a signed token in the submit event's payload. The
    chosen case's incident is reused, or one is created holding both. A
    forged, expired or closed choice is ignored: the submission stands alone.
    """
    if event.action != Action.SUBMIT or not event.payload.get("same_as"):
        return
    other_id = same_incident_case_id(str(event.payload["same_as"]))
    if other_id is None or other_id == submission.pk:
        return
    other = Submission.objects.select_for_update().filter(pk=other_id).exclude(status=Status.CLOSED).first()
    if other is None:
        return
    link = SubmissionIncident.objects.filter(submission=other).select_related("incident").first()
    if link is None:
        incident = Incident.objects.create(
            title=other.title[:200], lead_department=other.lead_department, created_at=now
        )
        SubmissionIncident.objects.create(submission=other, incident=incident, linked_at=now)
    else:
        incident = link.incident
    SubmissionIncident.objects.update_or_create(
        submission=submission, defaults={"incident": incident, "linked_by": None, "linked_at": now}
    )


HEARD_BY_ALL = {Action.REPLY, Action.RATE, Action.CLOSE_NOT_RATED}


def incident_recipients(event: CaseEvent) -> list[Notification]:
    """``add_recipients`` source: when one case of an incident is answered or closed, the others' citizens hear.

    Each citizen of another case in the same incident who left an email gets
    one message per such event (the notification's unique key keeps it once).
    """
    if event.action not in HEARD_BY_ALL or not event.is_public:
        return []
    link = SubmissionIncident.objects.filter(submission_id=event.submission_id).first()
    if link is None:
        return []
    others = (
        Submission.objects.filter(incident_link__incident_id=link.incident_id)
        .exclude(pk=event.submission_id)
        .exclude(email="")
        .filter(anonymised_at__isnull=True)
    )
    rows = []
    for other in others:
        with translation.override(other.language or settings.LANGUAGE_CODE):
            subject = _("Your case %(number)s: news on the same problem") % {"number": other.tracking_number}
            body = _(
                "Your case %(number)s is part of one incident with other reports of the same problem. "
                "One of them has just been updated: %(what)s.\n\nFollow your case at %(url)s."
            ) % {
                "number": other.tracking_number,
                "what": Action(event.action).label,
                "url": settings.SITE_URL.rstrip("/") + "/track/",
            }
        rows.append(Notification(event=event, recipient_email=other.email, subject=subject, body=body))
    return rows


REFRESH_SQL = """
INSERT INTO maps_hotspotcell (gy, gx, open, overdue)
SELECT coalesce(o.gy, d.gy), coalesce(o.gx, d.gx), coalesce(o.n, 0), coalesce(d.n, 0)
FROM (
    SELECT floor(latitude::float8 / %(base)s)::int AS gy, floor(longitude::float8 / %(base)s)::int AS gx, count(*) AS n
    FROM feedback_submission WHERE status <> 'closed' AND latitude IS NOT NULL GROUP BY 1, 2
) o FULL JOIN (
    SELECT floor(s.latitude::float8 / %(base)s)::int AS gy, floor(s.longitude::float8 / %(base)s)::int AS gx,
           count(DISTINCT s.id) AS n
    FROM routing_deadline d JOIN feedback_submission s ON s.id = d.submission_id
    WHERE d.is_open AND d.paused_at IS NULL AND d.due_at < %(now)s AND s.status <> 'closed' AND s.latitude IS NOT NULL
    GROUP BY 1, 2
) d ON o.gy = d.gy AND o.gx = d.gx
"""


def hotspots_refresh(*, now: datetime) -> int:
    """Rebuild the hot-spot cells from the cases (one ``INSERT … SELECT``); returns how many cells hold cases.

    Readers keep seeing the previous cells until this commits; two refreshes at
    once take turns on the rollup row.
    """
    from django.db import connection

    from maps.models import HotspotCell, HotspotRollup
    from maps.selectors import HOTSPOT_BASE

    with transaction.atomic():
        rollup, _created = HotspotRollup.objects.select_for_update().get_or_create(pk=1)
        HotspotCell.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '32MB'")
            cursor.execute(REFRESH_SQL, {"base": HOTSPOT_BASE, "now": now})
            cells = cursor.rowcount
        rollup.computed_at, rollup.base = now, HOTSPOT_BASE
        rollup.cases = sum(HotspotCell.objects.values_list("open", flat=True))
        rollup.save()
    return cells
