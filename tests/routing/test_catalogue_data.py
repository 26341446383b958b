"""The duty catalogue is a data file, read once and read-only."""

from __future__ import annotations

import pytest

from city import catalogue


def test_the_catalogue_file_has_terms_duties_and_rules_for_the_same_offices():
    data = catalogue.catalogue_data()
    assert set(data) == {"terms", "duties", "rules"}
    offices = set(data["terms"])
    assert offices == set(data["duties"])
    for rule in data["rules"]:
        assert rule["key"] and rule["name"] and rule["lead"] in offices
        assert rule.get("any") or rule.get("all") or rule.get("category")
    assert len({rule["key"] for rule in data["rules"]}) == len(data["rules"])


def test_every_office_lists_its_phrases_once():
    for office, terms in catalogue.TERMS.items():
        assert terms and len(terms) == len(set(terms)), office


def test_nothing_can_add_to_the_catalogue_at_run_time():
    with pytest.raises(TypeError):
        catalogue.TERMS["NEW"] = ("x",)  # type: ignore[index]
    with pytest.raises(AttributeError):
        catalogue.TERMS["CGJ"].append("x")  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        catalogue.RULES[0]["lead"] = "X"  # type: ignore[index]
