"""Rule ordering, each condition kind, the one-scan keyword matcher and the static checks."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing.rules import (
    CaseInput,
    KeywordScanner,
    RuleMatcher,
    RuleSpec,
    keywords_parse,
    rule_never_matches,
    rule_problems,
)


def rule(name, lead, order=10, **conditions):
    for key in ("any", "all", "none"):
        conditions[key] = keywords_parse(conditions.get(key, ()))
    return RuleSpec(id=order, name=name, order=order, lead=lead, **conditions)


def case(text, **kw):
    return CaseInput.build(title="", text=text, **kw)


def test_rules_are_tried_in_order_and_the_first_match_wins():
    matcher = RuleMatcher([rule("late", "ZJJ", order=20, any=["工地"]), rule("early", "RSJ", order=10, any=["欠薪"])])
    assert matcher.match(case("工地老板欠薪三个月")).name == "early"
    assert matcher.match(case("工地晚上打桩")).name == "late"
    assert matcher.match(case("楼下餐馆油烟")) is None


def test_chinese_keywords_match_as_substrings_without_spaces():
    matcher = RuleMatcher([rule("wages", "RSJ", any="拖欠工资、讨薪")])
    assert matcher.match(case("包工头拖欠工资已经半年了")).lead == "RSJ"


def test_all_of_needs_every_keyword():
    matcher = RuleMatcher([rule("site noise", "ZJJ", all=["工地", "噪音"])])
    assert matcher.match(case("工地夜里噪音很大")) is not None
    assert matcher.match(case("工地门口很脏")) is None


def test_none_of_keeps_a_rule_out():
    matcher = RuleMatcher([rule("site", "ZJJ", any=["工地"], none=["工资"])])
    assert matcher.match(case("工地凌晨施工")) is not None
    assert matcher.match(case("工地不发工资")) is None


def test_english_keywords_match_without_case():
    matcher = RuleMatcher([rule("parking", "JJ", any=["Illegal Parking"])])
    assert matcher.match(case("ILLEGAL PARKING on Gulou Street every night")).lead == "JJ"


def test_district_and_kind_conditions():
    matcher = RuleMatcher([rule("east praise", "CGJ", any=["表扬"], district="dongcheng", kind="praise")])
    assert matcher.match(case("表扬环卫工人", district="dongcheng", kind="praise")) is not None
    assert matcher.match(case("表扬环卫工人", district="xicheng", kind="praise")) is None
    assert matcher.match(case("表扬环卫工人", district="dongcheng", kind="complaint")) is None


def test_category_condition_covers_the_subtree():
    # Category 1 is the parent of 2; a case in 2 carries the path {2, 1}.
    matcher = RuleMatcher([rule("city", "CGJ", category_id=1)])
    assert matcher.match(case("随便什么", category_path={2, 1})) is not None
    assert matcher.match(case("随便什么", category_path={3})) is None


def test_keywords_field_accepts_commas_chinese_commas_and_lines():
    assert keywords_parse("欠薪, 讨薪，拖欠工资\nBack Pay、欠薪") == ("欠薪", "讨薪", "拖欠工资", "back pay")


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(st.text(alphabet="工地欠薪噪ab", min_size=1, max_size=3), min_size=1, max_size=8),
    text=st.text(alphabet="工地欠薪噪ab ", max_size=30),
)
def test_scanner_finds_exactly_the_keywords_in_the_text(words, text):
    assert KeywordScanner(words).present(text) == {w for w in words if w in text}


def test_rule_whose_none_excludes_what_it_requires_can_never_match():
    assert rule_never_matches(rule("bad", "ZJJ", all=["工地噪音"], none=["噪音"]))
    assert rule_never_matches(rule("bad any", "ZJJ", any=["夜间施工", "施工噪音"], none=["施工"]))
    assert not rule_never_matches(rule("fine", "ZJJ", any=["工地"], none=["工资"]))


def test_rule_fully_shadowed_by_an_earlier_broader_rule_is_flagged():
    rules = [
        rule("broad", "RSJ", order=10, any=["工资"]),
        rule("narrow", "ZJJ", order=20, all=["工地", "拖欠工资"]),
        rule("other", "ZJJ", order=30, any=["工地"]),
    ]
    problems = rule_problems(rules, {})
    assert problems == {1: "shadowed:broad"}


def test_shadowing_respects_district_and_category_subtrees():
    rules = [
        rule("east only", "CGJ", order=10, any=["垃圾"], district="dongcheng"),
        rule("all", "CGJ", order=20, any=["垃圾"]),
    ]
    assert rule_problems(rules, {}) == {}
    rules = [rule("parent", "CGJ", order=10, category_id=1), rule("child", "STHJ", order=20, category_id=2)]
    assert rule_problems(rules, {2: frozenset({1, 2})}) == {1: "shadowed:parent"}


@pytest.mark.django_db
def test_seeded_catalogue_rules_have_no_problems(city):
    from routing.selectors import routing_rule_problems

    assert routing_rule_problems() == {}
