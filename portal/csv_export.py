"""The one CSV writer: every CSV the portal produces (pages, downloads, commands) goes through it.

A spreadsheet reads a cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return as a formula (CSV injection: ``=HYPERLINK(...)``
leaks the sheet, ``+cmd|' /C calc'!A0`` runs a program). Such text cells are
neutralised with a leading single quote, which spreadsheets show as text;
numbers are written as numbers (``-1.5`` stays a number).

Pages register their CSV views with ``csv_view`` so a test can ask every one
of them; ``tests/security/test_csv_exports.py`` also checks that no module
but this one calls ``csv.writer``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import translation

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # so Excel opens UTF-8 (Chinese) text correctly

# Views that answer CSV, by their dotted path: filled by ``csv_view``.
CSV_VIEWS: set[str] = set()


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet will read it as data, never as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


class SafeWriter:
    """``csv.writer`` whose every cell passes through ``safe_cell``."""

    def __init__(self, handle: Any | None = None, **options: Any) -> None:
        self._writer = csv.writer(handle if handle is not None else _Echo(), **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle: Any | None = None, **options: Any) -> SafeWriter:
    """The writer for a file (``handle``), or one whose ``writerow`` returns the line (for streaming)."""
    return SafeWriter(handle, **options)


def csv_lines(header: list[Any], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The lines of a CSV download: a byte-order mark and the header, then each row."""
    writer = csv_writer()
    yield BOM + writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def _in_language(lines: Iterable[str], language: str | None) -> Iterator[str]:
    """Produce each line in the request's language: a streamed body is read after the view returned, when the
    thread's active language may be another request's (or none)."""
    iterator = iter(lines)
    while True:
        with translation.override(language):
            try:
                line = next(iterator)
            except StopIteration:
                return
        yield line


def csv_response(lines: Iterable[str], *, filename: str) -> StreamingHttpResponse:
    """A streamed CSV download of ``lines`` (from ``csv_lines``), labelled in the request's language."""
    response = StreamingHttpResponse(
        _in_language(lines, translation.get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_view(view: Callable) -> Callable:
    """Mark a view as a CSV export, so the tests over every CSV route find it."""
    CSV_VIEWS.add(f"{view.__module__}.{view.__qualname__}")
    view.csv_export = True
    return view
