"""A supervisor's round in headless Chromium, in Chinese and in English.

The city (``supervisor_city.build``) has overdue cases in several departments
at every escalation level, a case bounced between departments, rated replies
over the last days and a surge of water-outage reports that the surge scan
turned into an alert. The supervisor opens the overdue dashboard, filters it
with the form, drills down from a department's count to its cases and to one
case, filters the drill-down again, exports it as CSV, reads the KPI charts,
merges the alert's cases into one incident and reads the digest. Every page
gets the checks of ``tests/e2e/walk.py`` and is photographed to
artifacts/e2e/<lang>-walk-<step>.png.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation

from tests.e2e.walk import CHROMIUM, DESKTOP, LANGUAGES, Walk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed"),
]

INCIDENT_TITLE = {"zh-hans": "翠湖苑小区停水", "en": "Water outage at Cuihu Garden"}

# Pixels a chart drew: anything not transparent, and pixels of the first series' colour (charts.js palette[0]).
CANVAS_INK_JS = """(canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let inked = 0, series = 0;
    for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 0) continue;
        inked++;
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
        if (Math.abs(r - 0x0b) < 30 && Math.abs(g - 0x5c) < 30 && Math.abs(b - 0xad) < 30) series++;
    }
    return {inked, series, area: canvas.width * canvas.height};
}"""


def _numbers(page, selector: str) -> set[str]:
    """Tracking numbers linked in the rows of a case table."""
    return {text.strip() for text in page.locator(f"{selector} tbody tr td:first-child a").all_inner_texts()}


def _ranked_departments(page) -> list[int]:
    hrefs = page.locator("#dept-ranking tbody tr td:first-child a").evaluate_all("links => links.map(a => a.href)")
    return [int(re.search(r"dept=(\d+)", href).group(1)) for href in hrefs]


def _fill_filters(page, *, department: int | None = None, priority: str = "", first=None, last=None) -> None:
    if department is not None:
        page.select_option("form.filters #id_department", str(department))
    if priority:
        page.select_option("form.filters #id_priority", priority)
    if first is not None:
        page.fill("form.filters #id_date_from", first.isoformat())
    if last is not None:
        page.fill("form.filters #id_date_to", last.isoformat())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_supervisor_filters_drills_down_exports_reads_kpis_merges_an_alert_and_reads_the_digest(
    lang, browser, live_server, eager_celery, settings
):
    from city.models import Department
    from feedback.models import Submission
    from oversight.masking import mask_text
    from surges.models import AlertStatus, Incident, SubmissionIncident, SurgeAlert
    from tests.e2e import supervisor_city

    settings.OVERSIGHT_KPI_MIN_SAMPLE = 5  # so that the KPI page ranks the busier departments of this small city
    city = supervisor_city.build(timezone.now())
    cases, today = city.cases, city.today
    number = {label: case.tracking_number for label, case in cases.items()}
    cgj, swj = Department.objects.get(code="CGJ"), Department.objects.get(code="SWJ")

    walk = Walk(browser, live_server, lang, "supervisor", DESKTOP, prefix="walk-")
    page = walk.page
    walk.login("supervisor")

    # 1. The overdue dashboard, from the header: every overdue case, CGJ first with the most.
    walk.follow(".site-header a[href='/oversight/']")
    assert page.inner_text("#total-overdue") == "10"  # nine of the open cases and the bounced one
    everyone = _ranked_departments(page)
    assert everyone[0] == cgj.pk and len(everyone) >= 4
    assert number["bounced"] in page.inner_text("#buck-passing")  # returned twice
    walk.check("01-dashboard")

    # 2. Filtered with the form: CGJ, urgent, submitted in the last five days.
    _fill_filters(page, department=cgj.pk, priority="urgent", first=today - timedelta(days=5), last=today)
    walk.follow("form.filters button[type=submit]")
    assert _ranked_departments(page) == [cgj.pk]
    assert page.inner_text("#total-overdue") == "2"
    # The urgent CGJ case from nine days ago is outside the period; normal ones and other departments are gone.
    assert _numbers(page, ".case-table") == {number["cgj-billboard"], number["cgj-rooftop"]}
    walk.check("02-dashboard-filtered")

    # 3. Back to everything, then down from CGJ's overdue replies to its cases and to one case.
    walk.follow("form.filters a.button")
    walk.follow(f"#dept-ranking a[href*='dept={cgj.pk}&step=reply&state=overdue']")
    drill = {number["cgj-garbage"], number["cgj-rooftop"], number["cgj-sewage"]}
    assert _numbers(page, ".case-table") == drill
    assert str(cgj.name_zh if lang == "zh-hans" else cgj.name_en) in page.inner_text("h1")
    walk.check("03-drill-down")
    walk.follow(f".case-table a:text-is('{number['cgj-rooftop']}')")
    assert page.locator("h1 .badge.bad").count() == 1  # its escalation level
    assert supervisor_city.PHONE_IN_TITLE not in page.inner_text("main")
    walk.check("04-case")
    page.go_back()
    page.wait_for_load_state()

    # Filtering the drill-down again keeps its department and step: urgent ones among CGJ's overdue replies.
    _fill_filters(page, priority="urgent")
    walk.follow("form.filters button[type=submit]")
    assert re.search(rf"dept={cgj.pk}\b", page.url) and "step=reply" in page.url, page.url
    assert _numbers(page, ".case-table") == {number["cgj-rooftop"], number["cgj-sewage"]}
    walk.check("05-drill-down-filtered")

    # 4. The CSV of that list, through the page's link.
    with page.expect_download() as download:
        page.click("#csv-export")
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(exported)))
    with translation.override(lang):
        assert header[0] == translation.gettext("Tracking number") and len(header) == 13, header
    assert {row[0] for row in rows} == {number["cgj-rooftop"], number["cgj-sewage"]}
    titles = {row[0]: row[-1] for row in rows}
    assert titles[number["cgj-rooftop"]] == mask_text(cases["cgj-rooftop"].title) != cases["cgj-rooftop"].title
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", exported), "a mobile number left in the export"
    for name, phone, email in supervisor_city.CITIZENS:
        assert name not in exported and phone not in exported and email not in exported

    # 5. KPIs: every chart drew its data, and each has its table of figures.
    walk.follow(".subnav a[href='/oversight/kpis/']")
    assert "%" in page.inner_text("[data-kpi=satisfaction] .figure")
    cards = page.locator("section.chart-card")
    assert cards.count() == 3
    for i in range(cards.count()):
        card = cards.nth(i)
        ink = card.locator("canvas").evaluate(CANVAS_INK_JS)
        title = card.locator("h2").inner_text()
        assert ink["inked"] > ink["area"] // 100 and ink["series"] > 50, (title, ink)
        card.locator("details.chart-table summary").click()
        labels = len(card.locator("script.chart-data").evaluate("s => JSON.parse(s.textContent).labels"))
        assert card.locator("details.chart-table tbody tr").count() == labels > 0, title
    walk.check("06-kpis")

    # 6. The surge alert: its cases merged into one incident led by the water affairs bureau.
    walk.follow(".site-header a[href='/surges/']")
    walk.check("07-alerts")
    walk.follow(f"a[href='/surges/{city.alert.pk}/']")
    assert page.locator("input[name=cases]:checked").count() == len(city.surge_cases)
    page.select_option("#id_lead_department", str(swj.pk))
    page.fill("#id_title", INCIDENT_TITLE[lang])
    walk.check("08-alert")
    walk.follow("#merge-form button[type=submit]")
    incident = Incident.objects.get(title=INCIDENT_TITLE[lang])
    assert incident.lead_department == swj
    merged = set(SubmissionIncident.objects.filter(incident=incident).values_list("submission_id", flat=True))
    assert merged == {case.pk for case in city.surge_cases}
    assert SurgeAlert.objects.get(pk=city.alert.pk).status == AlertStatus.MERGED
    assert page.url.endswith(f"/surges/incidents/{incident.pk}/")
    walk.check("09-incident")

    # 7. The digest for the last seven days.
    walk.follow(".site-header a[href='/oversight/']")
    walk.follow(".subnav a[href='/oversight/digest/']")
    first = today - timedelta(days=6)
    page.fill("#id_date_from", first.isoformat())
    page.fill("#id_date_to", today.isoformat())
    walk.follow("form.filters button[type=submit]")
    start = timezone.make_aware(timezone.datetime.combine(first, timezone.datetime.min.time()))
    assert page.inner_text("#digest-total") == str(Submission.objects.filter(created_at__gte=start).count())
    assert page.locator("#digest-surges li").count() >= 1
    walk.check("10-digest")

    walk.close()
