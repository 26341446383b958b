"""The maps in a browser with no network beyond the portal: pin → district → nearby case → same incident, and
the supervisors' hot spots with their drill-down. Screenshots (phone and desktop) go to artifacts/e2e/maps-*.png."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.walk import ARTIFACTS, DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def offline_page(browser, viewport, blocked: list[str], locale: str = "zh-CN"):
    """A tab whose every request off localhost is refused (and noted): the default map needs no internet."""
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()

    def only_local(route):
        host = urlparse(route.request.url).hostname
        if host in {"127.0.0.1", "localhost"}:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    return context, page


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"maps-{name}.png"), full_page=True)


def tap_map(page, selector: str, lat: float, lng: float) -> None:
    """A real click on the map where (lat, lng) is drawn."""
    point = page.evaluate(
        "([lat, lng]) => { const p = window.minshengSubmitMap.map.latLngToContainerPoint([lat, lng]);"
        " return [p.x, p.y]; }",
        [lat, lng],
    )
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_pin_fills_the_district_offers_the_nearby_case_and_links_the_same_incident(viewport, browser, live_server):
    from city.models import Category, Department
    from demo.city import seed_demo
    from feedback.models import Submission
    from feedback.services import submission_received_react
    from maps import selectors
    from maps.demo import maps_demo_seed
    from surges.models import SubmissionIncident
    from tests.oversight import drive

    seed_demo()
    maps_demo_seed()
    selectors.boundaries_forget()
    now = timezone.now()
    first = drive.case(
        Department.objects.get(code="CGJ"),
        created=now - timedelta(hours=3),
        signed=now - timedelta(hours=2),
        category=Category.objects.get(code="city.garbage"),
        title="红星路垃圾桶满了",
        latitude="30.630000",
        longitude="119.975000",
    )
    blocked: list[str] = []
    context, page = offline_page(browser, viewport, blocked)
    size = "phone" if viewport == PHONE else "desktop"
    page.goto(live_server.url + "/submit/")
    page.select_option("#id_category", "city.garbage")
    page.click(".map-field summary")
    page.wait_for_selector("#submit-map[data-layers]")
    assert int(page.get_attribute("#submit-map", "data-layers")) >= 10  # five districts and the roads, offline
    page.locator("#submit-map").scroll_into_view_if_needed()
    tap_map(page, "#submit-map", 30.6302, 119.9752)
    expect(page.locator("#id_district")).to_have_value("dongcheng")
    page.wait_for_selector("#nearby .nearby-case input[value]:not([value=''])")
    assert "东城区" in page.inner_text("#map-status")
    shoot(page, f"submit-pin-nearby-{size}")
    page.locator("#nearby .nearby-case input:not([value=''])").first.check()
    page.check("#id_kind_0")
    page.fill("#id_title", "红星路垃圾没人清运")
    page.fill("#id_text", "红星路门口的垃圾桶满了好几天。")
    page.fill("#id_phone", "13812345678")
    with page.expect_navigation():
        page.click("#submit-button")
    assert "/submit/done/" in page.url, page.inner_text("main")
    shoot(page, f"submit-done-{size}")
    second = Submission.objects.exclude(pk=first.pk).get()
    assert submission_received_react(submission_id=second.pk)  # the worker's step, told by the outbox
    assert (second.district.code, float(second.latitude)) == ("dongcheng", pytest.approx(30.6302, abs=3e-3))
    incident = SubmissionIncident.objects.get(submission=first).incident_id
    assert SubmissionIncident.objects.get(submission=second).incident_id == incident
    assert blocked == [], blocked
    context.close()


def test_hot_spot_map_drills_down_to_a_cells_cases_offline(browser, live_server):
    from city.models import Department
    from demo.city import DEMO_PASSWORD, seed_demo
    from maps import selectors
    from maps.demo import maps_demo_seed
    from tests.oversight import drive

    seed_demo()
    maps_demo_seed()
    selectors.boundaries_forget()
    now = timezone.now()
    cgj = Department.objects.get(code="CGJ")
    for i, (lat, lng) in enumerate([(30.6301, 119.9751), (30.6305, 119.9755), (30.5352, 119.9853)]):
        drive.case(cgj, created=now - timedelta(hours=3 + i), latitude=f"{lat:.6f}", longitude=f"{lng:.6f}")
    blocked: list[str] = []
    for viewport, size in ((DESKTOP, "desktop"), (PHONE, "phone")):
        context, page = offline_page(browser, viewport, blocked)
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "supervisor")
        page.fill("#id_password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.goto(live_server.url + "/maps/hotspots/")
        page.wait_for_selector("#hotspot-map[data-cells]")
        page.wait_for_selector("#hotspot-map[data-layers]")
        assert page.get_attribute("#hotspot-map", "data-cells") == "2"
        shoot(page, f"hotspots-{size}")
        with page.expect_navigation():
            page.click("#hotspot-cells a >> nth=0")
        rows = page.locator("#cell-cases tbody tr").count()
        assert rows == 2, page.inner_text("main")
        shoot(page, f"hotspot-cases-{size}")
        context.close()
    assert blocked == [], blocked


def test_board_map_shows_rounded_points_and_the_case_page_its_small_map_offline(browser, live_server):
    from city.models import Department
    from demo.city import DEMO_PASSWORD, seed_demo
    from maps import selectors
    from maps.demo import maps_demo_seed
    from tests.oversight import drive

    seed_demo()
    maps_demo_seed()
    selectors.boundaries_forget()
    now = timezone.now()
    cgj = Department.objects.get(code="CGJ")
    case = drive.case(
        cgj,
        created=now - timedelta(hours=3),
        signed=now - timedelta(hours=2),
        latitude="30.631234",
        longitude="119.976789",
        may_publish=True,
        title="红星路垃圾桶满了",
    )
    drive.reply(case, now - timedelta(hours=1))
    blocked: list[str] = []
    for viewport, size in ((PHONE, "phone"), (DESKTOP, "desktop")):
        context, page = offline_page(browser, viewport, blocked)
        page.goto(live_server.url + "/maps/board/")
        page.wait_for_selector("#board-map[data-points='1']")
        page.wait_for_selector("#board-map[data-layers]")
        assert "30.631234" not in page.content()
        shoot(page, f"board-{size}")
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "cgj_staff")
        page.fill("#id_password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        page.goto(live_server.url + f"/staff/cases/{case.pk}/")
        page.wait_for_selector("#case-map[data-layers]")
        shoot(page, f"case-page-{size}")
        context.close()
    assert blocked == [], blocked


def test_the_maps_labels_speak_the_pages_language_whatever_the_browser_asks_for(browser, live_server):
    # A browser set to English still gets the Chinese page by default; the map's data (an API that follows
    # Accept-Language for third-party clients) must follow the page, not the browser.
    from demo.city import seed_demo
    from maps import selectors
    from maps.demo import maps_demo_seed

    seed_demo()
    maps_demo_seed()
    selectors.boundaries_forget()
    blocked: list[str] = []
    context, page = offline_page(browser, DESKTOP, blocked, locale="en-US")
    page.goto(live_server.url + "/maps/board/")
    page.wait_for_selector("#board-map[data-layers]")
    assert page.evaluate("document.documentElement.lang") == "zh-hans"
    labels = page.locator(".district-label").all_inner_texts()
    assert labels and all("District" not in label for label in labels), labels
    assert any(label.endswith("区") for label in labels), labels
    context.close()
    assert blocked == [], blocked
