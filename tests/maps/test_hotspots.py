"""The supervisors' hot-spot grid: counts of open and overdue cases per cell, the same from the rebuilt cells and
from the cases, and the drill-down to one cell's cases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from city.models import Department
from deadlines.models import Step
from maps import selectors
from maps.services import hotspots_refresh
from tests.oversight import drive

CITY = selectors.Bounds(30.47, 119.81, 30.77, 120.15)
POINTS = [(30.6301, 119.9751), (30.6305, 119.9755), (30.6349, 119.9799), (30.5352, 119.9853), (30.7001, 120.0601)]


@pytest.fixture
def cases(mapped_city):
    drive.clock_policies()
    cgj = Department.objects.get(code="CGJ")
    now = timezone.now()
    made = [
        drive.case(cgj, created=now - timedelta(minutes=5 + i), latitude=f"{lat:.6f}", longitude=f"{lng:.6f}")
        for i, (lat, lng) in enumerate(POINTS)
    ]
    # One overdue: its sign-for deadline fell due long ago.
    drive.open_deadline(cgj, Step.SIGN_FOR, due=now - timedelta(days=2), latitude="30.630300", longitude="119.975300")
    return made


def by_corner(cells):
    return {(c["south"], c["west"]): (c["open"], c["overdue"]) for c in cells}


def test_open_and_overdue_cases_are_counted_per_cell(cases):
    cells = by_corner(selectors.hotspot_cells(bounds=CITY, size=0.01, now=timezone.now()))
    assert cells[(30.63, 119.97)] == (4, 1)  # three of POINTS, plus the overdue case
    assert cells[(30.53, 119.98)] == (1, 0) and cells[(30.7, 120.06)] == (1, 0)
    assert sum(n for n, _ in cells.values()) == 6


@pytest.mark.parametrize("size", [0.005, 0.01, 0.02, 0.05])
def test_the_rebuilt_cells_give_the_same_grid_as_counting_the_cases(cases, size):
    now = timezone.now()
    hotspots_refresh(now=now)
    rebuilt, as_of = selectors.hotspot_map(bounds=CITY, size=size, now=now)
    assert as_of == now
    assert by_corner(rebuilt) == by_corner(selectors.hotspot_cells(bounds=CITY, size=size, now=now))


def test_a_stale_rebuild_is_not_used(cases):
    now = timezone.now()
    hotspots_refresh(now=now - timedelta(hours=1))
    _cells, as_of = selectors.hotspot_map(bounds=CITY, size=0.01, now=now)
    assert as_of is None  # counted from the cases


def test_the_api_gives_supervisors_the_grid_and_the_drill_down_lists_the_cells_cases(cases):
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    data = client.get("/api/v1/maps/hotspots/", {"size": "0.01"}).json()
    cell = next(c for c in data["cells"] if c["open"] == 4)
    page = client.get("/maps/hotspots/cases/", {"south": cell["south"], "west": cell["west"], "size": "0.01"})
    assert page.status_code == 200 and len(page.context["cases"]) == 4


@pytest.mark.parametrize(
    "query", [{"south": "x", "west": "1"}, {"west": "119"}, {"south": "30", "west": "119", "size": "5"}]
)
def test_a_malformed_cell_is_a_400(cases, query):
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    assert client.get("/maps/hotspots/cases/", query).status_code == 400


def test_a_box_with_south_above_north_is_refused(cases):
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    response = client.get("/api/v1/maps/hotspots/", {"south": "31", "north": "30"})
    assert response.status_code == 400
