"""The scan keeps the detector between beats and feeds it only what arrived since."""

from __future__ import annotations

from datetime import timedelta

import pytest

from surges import services, state
from surges.models import SurgeAlert, SurgeScanState
from tests.surges.conftest import BACKGROUND_TEXTS, INCIDENT_TEXTS, NOW, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(monkeypatch):
    """How many submissions each scan reads from the database."""
    counted: list[int] = []
    original = services.reports_between

    def counting(since, until):
        found = original(since, until)
        counted.append(len(found))
        return found

    monkeypatch.setattr(services, "reports_between", counting)
    return counted


def test_a_later_beat_reads_only_the_submissions_that_arrived_since(surge_cases, reads):
    services.surge_scan(now=NOW)
    first = sum(reads)
    reads.clear()
    make_case("翠湖苑小区还是没有水，已经第二天了。", at=NOW + timedelta(minutes=20), district=surge_cases["district"])

    services.surge_scan(now=NOW + timedelta(minutes=25))

    assert first >= len(surge_cases["background"]) + len(surge_cases["incident"])
    assert sum(reads) <= 3  # the new case, and the two fed within the settling margin (skipped)
    assert SurgeAlert.objects.get().report_count == 7


def test_beats_in_turn_find_what_one_full_replay_finds(city):
    from city.models import District

    district = District.objects.get(code="nanhu")
    for i, text in enumerate(BACKGROUND_TEXTS * 3):
        make_case(text, at=NOW - timedelta(days=3) + timedelta(hours=3 * i))
    start = NOW - timedelta(hours=2)
    for i, text in enumerate(INCIDENT_TEXTS):
        make_case(text, at=start + timedelta(minutes=17 * i), district=district)
        services.surge_scan(now=start + timedelta(minutes=17 * i + 1))  # one beat after each report

    replayed = services.surge_detect(now=start + timedelta(minutes=17 * 5 + 1))
    stored = SurgeAlert.objects.get()
    assert len(replayed) == 1
    assert set(stored.members.values_list("submission_id", flat=True)) == {int(i) for i in replayed[0].ids}


def test_a_state_from_other_settings_is_rebuilt_not_read(surge_cases):
    services.surge_scan(now=NOW)
    SurgeScanState.objects.update(fingerprint="features=0")

    again = services.surge_scan(now=NOW + timedelta(minutes=5))

    assert again.created == [] and len(again.updated) == 1  # the same alert, found by the rebuilt detector
    assert SurgeScanState.objects.get().fingerprint == state.fingerprint(state.surge_settings())
