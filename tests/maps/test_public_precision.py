"""Public outputs of a published case's place: the board's map API, the board pages and Open311 GET agree on
one public precision and never show the stored point (a private home's door)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from city.models import Department
from tests.oversight import drive

EXACT = ("30.631234", "119.976789")


def published_case(**data):
    cgj = Department.objects.get(code="CGJ")
    now = timezone.now()
    case = drive.case(
        cgj,
        created=now - timedelta(hours=3),
        signed=now - timedelta(hours=2),
        latitude=EXACT[0],
        longitude=EXACT[1],
        address="红星路12号3单元502室",
        may_publish=True,
        **data,
    )
    drive.reply(case, now - timedelta(hours=1))
    case.refresh_from_db()
    return case


def test_every_public_output_rounds_the_point_and_never_shows_the_stored_one(mapped_city, settings):
    case = published_case()
    client = Client()
    (point,) = client.get("/api/v1/maps/board/").json()
    assert (point["lat"], point["lng"]) == (30.631, 119.977)
    outputs = {
        "board map api": client.get("/api/v1/maps/board/").content.decode(),
        "board map page": client.get("/maps/board/").content.decode(),
        "board list": client.get("/board/").content.decode(),
        "board detail": client.get(f"/board/{case.tracking_number}/").content.decode(),
        "open311 list": client.get("/open311/v2/requests.json").content.decode(),
        "open311 one": client.get(f"/open311/v2/requests/{case.tracking_number}.json").content.decode(),
        "nearby": client.get("/api/v1/maps/nearby/", {"lat": EXACT[0], "lng": EXACT[1]}).content.decode(),
    }
    for name, body in outputs.items():
        assert EXACT[0] not in body and EXACT[1] not in body and "3单元502室" not in body, name
    open311 = client.get(f"/open311/v2/requests/{case.tracking_number}.json").json()[0]
    assert (open311["lat"], open311["long"]) == (point["lat"], point["lng"])  # one public precision


def test_an_unpublished_case_is_not_on_the_board_map(mapped_city):
    cgj = Department.objects.get(code="CGJ")
    now = timezone.now()
    case = drive.case(
        cgj, created=now - timedelta(hours=3), signed=now - timedelta(hours=2), latitude=EXACT[0], longitude=EXACT[1]
    )
    drive.reply(case, now - timedelta(hours=1))
    assert Client().get("/api/v1/maps/board/").json() == []
