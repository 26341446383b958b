"""The leaders' digest (网情动态) as an A4 PDF, from the same data as the digest page.

Chinese renders with the system's Noto Sans CJK SC, cut down to the characters
of each document and embedded (``oversight.pdf_font``), so every reader shows
the same glyphs (and "·" is a dot, not a missing-glyph box). Like the page, the PDF carries no free text from
citizens: figures, names of departments, categories and districts, tracking
numbers, and surge alert headlines (masked, since their words come from what
citizens wrote). Strings follow the active language.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable, Sequence
from datetime import date, timedelta
from functools import partial
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from oversight.masking import mask_text
from oversight.pdf_font import font_for, font_release
from oversight.templatetags.oversight_tags import hours, line_time
from oversight.wording import new_topics_line, volume_note

FONT = "Helvetica"  # only while the story is first built to learn which characters it uses
MARGIN = 18 * mm
WIDTH = A4[0] - 2 * MARGIN  # the frame's width: every table is sized to fit it
LINE = colors.HexColor("#c9ced6")
HEADER_FILL = colors.HexColor("#eef1f5")
ACCENT = colors.HexColor("#1f4e8c")
MUTED = colors.HexColor("#5b6470")


def digest_pdf_filename(first_day: date, last_day: date) -> str:
    return f"digest-{first_day:%Y-%m-%d}_{last_day:%Y-%m-%d}.pdf"


def digest_pdf(digest: dict) -> bytes:
    """The digest built by ``selectors.digest_build`` as PDF bytes, in the active language.

    Every section of the digest page is a table here; long tables continue on the
    next page with their header repeated. Pages are numbered "page n of m".
    """
    cjk = not (get_language() or "").startswith("en")
    period = f"{digest['first_day']:%Y-%m-%d} – {digest['last_day']:%Y-%m-%d}"
    title = f"{_('Digest for leaders')} · {period}"
    footer = f"民声 Minsheng · {title}"
    # Build the story once to learn its characters, then again in a font made of exactly those.
    used = _story_text(_story(digest, _styles(cjk=cjk, font=FONT), title))
    font = font_for(used + footer + _("Page %(page)s of %(pages)s"))
    story = _story(digest, _styles(cjk=cjk, font=font), title)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="民声 Minsheng",
    )
    try:
        document.build(story, canvasmaker=partial(_NumberedCanvas, footer=footer, font=font))
    finally:
        font_release(font)
    return buffer.getvalue()


def _story(digest: dict, styles: dict, title: str) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(escape(title), styles["title"])]
    for section in (_intro, _volumes, _topics, _hot_spots, _surges, _kpis, _departments, _notable, _extra):
        story.extend(section(digest, styles))
    return story


def _story_text(flowables) -> str:
    """Every character the flowables will draw (paragraph sources and table cells, nested)."""
    parts: list[str] = []
    todo = list(flowables)
    while todo:
        item = todo.pop()
        if isinstance(item, Paragraph):
            parts.append(item.text)
        elif isinstance(item, str):
            parts.append(item)
        elif isinstance(item, list | tuple):
            todo.extend(item)
        elif isinstance(item, Table):
            todo.extend(item._cellvalues)
        elif isinstance(item, KeepTogether):
            todo.extend(item._content)
    return "".join(parts)


# --- sections ------------------------------------------------------------------------------------------------------


def _intro(digest: dict, styles: dict) -> list[Flowable]:
    previous = f"{digest['previous_first_day']:%Y-%m-%d} – {digest['first_day'] - timedelta(days=1):%Y-%m-%d}"
    generated = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    text = _("Compared with the previous period, %(period)s. Generated %(when)s.") % {
        "period": previous,
        "when": generated,
    }
    return [Paragraph(escape(text), styles["small"]), Spacer(0, 4 * mm)]


def _volumes(digest: dict, styles: dict) -> list[Flowable]:
    summary = f"{digest['total']} {volume_note(digest)}"
    rows = [[f"{d['day']:%Y-%m-%d}", d["n"]] for d in digest["daily"]]
    return [
        _block(
            Paragraph(escape(_("Volumes")), styles["h2"]),
            Paragraph(escape(summary), styles["body"]),
            Spacer(0, 2 * mm),
            _table([_("Day"), _("Submissions")], rows, [0.3, 0.2], styles, numeric={1}),
        )
    ]


def _topics(digest: dict, styles: dict) -> list[Flowable]:
    new = _("new")
    rows = [
        [f"{t['category']} [{new}]" if t["is_new"] else t["category"], t["count"], t["previous"]]
        for t in digest["topics"]
    ]
    flowables = [
        Paragraph(escape(_("Top topics")), styles["h2"]),
        _table([_("Category"), _("Now"), _("Before")], rows, [0.6, 0.2, 0.2], styles, numeric={1, 2}),
    ]
    if digest["new_topics"]:
        text = new_topics_line(digest)
        flowables += [Spacer(0, 2 * mm), Paragraph(escape(text), styles["body"])]
    return [_block(*flowables)]


def _hot_spots(digest: dict, styles: dict) -> list[Flowable]:
    rows = [[h["district"], h["count"], h["previous"]] for h in digest["hot_spots"]]
    return [
        _block(
            Paragraph(escape(_("Hot spots by district")), styles["h2"]),
            _table([_("District"), _("Now"), _("Before")], rows, [0.6, 0.2, 0.2], styles, numeric={1, 2}),
        )
    ]


def _surges(digest: dict, styles: dict) -> list[Flowable]:
    rows = [
        [
            mask_text(str(alert)),
            getattr(alert, "district", None) or "—",
            getattr(alert, "report_count", ""),
            _local(getattr(alert, "raised_at", None)),
        ]
        for alert in digest["surge_alerts"]
    ]
    header = [_("Topic"), _("District"), _("Reports"), _("Raised at")]
    none = _("No surge alerts in this period.")
    return [
        _block(
            Paragraph(escape(_("Surge alerts")), styles["h2"]),
            _table(header, rows, [0.46, 0.18, 0.12, 0.24], styles, numeric={2}, empty=none),
        )
    ]


def _kpis(digest: dict, styles: dict) -> list[Flowable]:
    city = digest["city"]
    rows: list[list] = [
        [rate.label, rate.percent, _small(f"{rate.formula} = {rate.numerator} ÷ {rate.denominator}", styles)]
        for rate in city.rates.values()
    ]
    rows.append(
        [
            _("Median handling time"),
            hours(city.median_hours),
            _small(_("working time, submission to reply, less waiting for the citizen"), styles),
        ]
    )
    header = [_("Indicator"), _("Value"), _("How it is computed")]
    return [
        _block(
            Paragraph(escape(_("KPIs, whole city")), styles["h2"]),
            _table(header, rows, [0.28, 0.14, 0.58], styles, numeric={1}),
        )
    ]


def _departments(digest: dict, styles: dict) -> list[Flowable]:
    overdue = [[e["department"] or "—", e["overdue"], e["near"]] for e in digest["most_overdue"]]
    returns = [[e["department"] or "—", e["returns"]] for e in digest["most_returns"] if e["returns"]]
    return [
        _block(
            Paragraph(escape(_("Most overdue departments")), styles["h2"]),
            _table([_("Department"), _("Overdue"), _("Near")], overdue, [0.6, 0.2, 0.2], styles, numeric={1, 2}),
        ),
        _block(
            Paragraph(escape(_("Most returns")), styles["h2"]),
            _table([_("Department"), _("Returns")], returns, [0.6, 0.2], styles, numeric={1}),
        ),
    ]


def _notable(digest: dict, styles: dict) -> list[Flowable]:
    overdue = [
        [
            line.deadline.submission.tracking_number,
            line.deadline.department or "—",
            line.deadline.get_step_display(),
            line_time(line),
        ]
        for line in digest["longest_overdue"]
    ]
    reopened = [
        [
            case.tracking_number,
            case.lead_department or "—",
            ngettext("reopened %(counter)s time", "reopened %(counter)s times", case.reopen_count)
            % {"counter": case.reopen_count},
        ]
        for case in digest["most_reopened"]
    ]
    overdue_header = [_("Tracking number"), _("Department"), _("Step"), _("Overdue by")]
    return [
        _block(
            Paragraph(escape(_("Notable cases")), styles["h2"]),
            Paragraph(escape(_("Longest overdue")), styles["h3"]),
            _table(overdue_header, overdue, [0.28, 0.34, 0.18, 0.2], styles, numeric={3}),
        ),
        _block(
            Paragraph(escape(_("Most reopened")), styles["h3"]),
            _table([_("Tracking number"), _("Department"), _("Reopened")], reopened, [0.28, 0.34, 0.38], styles),
        ),
    ]


def _extra(digest: dict, styles: dict) -> list[Flowable]:
    """Sections other apps registered in ``oversight.extensions`` (e.g. consultations)."""
    return [
        _block(
            Paragraph(escape(str(s["title"])), styles["h2"]),
            _table(s["header"], s["rows"], [1 / len(s["header"])] * len(s["header"]), styles),
            _small(str(s.get("note", "")), styles),
        )
        for s in digest.get("extra_sections", [])
    ]


# --- building blocks -----------------------------------------------------------------------------------------------


def _local(moment) -> str:
    return "—" if moment is None else timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _styles(*, cjk: bool, font: str) -> dict:
    # CJK wrapping breaks between any two characters; English text wraps at spaces.
    wrap = "CJK" if cjk else None
    base = ParagraphStyle("body", fontName=font, fontSize=10, leading=14, wordWrap=wrap)
    return {
        "cjk": cjk,
        "title": ParagraphStyle("title", parent=base, fontSize=17, leading=22, textColor=ACCENT, spaceAfter=2 * mm),
        "h2": ParagraphStyle(
            "h2", parent=base, fontSize=13, leading=17, spaceBefore=5 * mm, spaceAfter=1.5 * mm, textColor=ACCENT
        ),
        "h3": ParagraphStyle(
            "h3", parent=base, fontSize=11, leading=15, spaceBefore=2 * mm, spaceAfter=1.5 * mm, textColor=ACCENT
        ),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "head": ParagraphStyle("head", parent=base, fontSize=9, leading=12, textColor=ACCENT),
        "num": ParagraphStyle("num", parent=base, fontSize=9, leading=12, alignment=TA_RIGHT),
        "head_num": ParagraphStyle(
            "head_num", parent=base, fontSize=9, leading=12, alignment=TA_RIGHT, textColor=ACCENT
        ),
    }


def _block(*flowables: Flowable) -> KeepTogether:
    """A heading and its table start on the same page; a table taller than a page still splits, header repeated."""
    return KeepTogether(list(flowables))


def _small(text: str, styles: dict) -> Paragraph:
    return Paragraph(escape(text), styles["small"])


def _cell(value, style: ParagraphStyle) -> Flowable:
    return value if isinstance(value, Flowable) else Paragraph(escape(str(value)), style)


def _table(
    header: Sequence[str],
    rows: Iterable[Sequence],
    fractions: Sequence[float],
    styles: dict,
    *,
    numeric: Collection[int] = (),
    empty: str | None = None,
) -> Table:
    """A table as wide as ``fractions`` of the page, header repeated on each page, "None." when empty."""
    data = [[_cell(h, styles["head_num" if i in numeric else "head"]) for i, h in enumerate(header)]]
    for row in rows:
        data.append([_cell(v, styles["num" if i in numeric else "cell"]) for i, v in enumerate(row)])
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if len(data) == 1:
        data.append([_cell(empty or _("None."), styles["small"])] + [""] * (len(header) - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table = Table(data, colWidths=[f * WIDTH for f in fractions], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


class _NumberedCanvas(canvas.Canvas):
    """Holds every page back until the end, so each footer can say "page n of m"."""

    def __init__(self, *args, footer: str = "", font: str = FONT, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._font = font
        self._pages: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        self.setFont(self._font, 8)
        self.setFillColor(MUTED)
        self.setStrokeColor(LINE)
        self.line(MARGIN, MARGIN - 4 * mm, A4[0] - MARGIN, MARGIN - 4 * mm)
        self.drawString(MARGIN, MARGIN - 8 * mm, self._footer)
        page = _("Page %(page)s of %(pages)s") % {"page": number, "pages": total}
        self.drawRightString(A4[0] - MARGIN, MARGIN - 8 * mm, page)
