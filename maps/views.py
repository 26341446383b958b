"""Map pages: the supervisors' hot spots with their drill-down, and the public board's map."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from maps import selectors


def supervisor_required(view):
    """Supervisors and administrators: anonymous users go to the login page, others get 403 (as oversight)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_supervisor:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@supervisor_required
def hotspots(request: HttpRequest) -> HttpResponse:
    return render(request, "maps/hotspots.html", {"grid_size": selectors.map_settings()["GRID_SIZE"]})


@supervisor_required
def hotspot_cases(request: HttpRequest) -> HttpResponse:
    """The open cases of one grid cell (the map's drill-down)."""
    try:
        south, west = float(request.GET["south"]), float(request.GET["west"])
        size = float(request.GET.get("size") or selectors.map_settings()["GRID_SIZE"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest(_("Choose a cell on the map."))
    if not (-90 <= south <= 90 and -180 <= west <= 180 and 0.001 <= size <= 1):
        return HttpResponseBadRequest(_("Choose a cell on the map."))
    ids = selectors.cell_case_ids(south=south, west=west, size=size)
    page = Paginator(ids, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "cases": selectors.cases_by_ids(list(page.object_list)),
        **{"south": south, "west": west, "size": size, "north": south + size, "east": west + size},
    }
    return render(request, "maps/hotspot_cases.html", context)


def board_map(request: HttpRequest) -> HttpResponse:
    return render(request, "maps/board_map.html", {"decimals": selectors.public_decimals()})
