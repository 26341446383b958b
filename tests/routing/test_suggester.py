"""The learned suggester: features, training, persistence and reload."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from routing import suggester as suggester_mod
from routing.suggester import _threshold_from_oof, features, train

ROWS = [
    ("小区停水", "东城区小区停水一天了", "complaint", "SWJ"),
    ("自来水发黄", "自来水发黄有味道", "complaint", "SWJ"),
    ("路边摊贩", "路边摊贩占道经营", "complaint", "CGJ"),
    ("垃圾没人清", "垃圾堆了一周没人清运", "complaint", "CGJ"),
]


def test_features_mix_chinese_words_bigrams_english_words_and_catalogue_hits():
    tokens = features("Taxi driver refused", "出租车司机拒载", "complaint")
    assert "w:出租车司机" in tokens  # a catalogue phrase stays one jieba word
    assert "c:拒载" in tokens
    assert "e:taxi" in tokens and "b:driver_refused" in tokens
    assert "d:JTJ" in tokens and "t:出租车" in tokens
    assert "k:complaint" in tokens


def test_suggester_learns_from_history_beyond_the_catalogue():
    rows = ROWS + [("独角兽", "独角兽出没", "report", "YLJ")] * 3
    model = train([r[:3] for r in rows], [r[3] for r in rows])
    assert model.suggest("独角兽", "又见独角兽")[0][0] == "YLJ"
    scores = model.scores(features("独角兽", "又见独角兽"))
    assert scores.sum() == pytest.approx(1.0) and len(scores) == len(model.classes)


def test_fast_path_agrees_with_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs, labels, weights = suggester_mod.catalogue_documents()
    vectorizer = TfidfVectorizer(analyzer=suggester_mod._identity, sublinear_tf=True, lowercase=False)
    model = LogisticRegression(C=20.0, max_iter=3000).fit(vectorizer.fit_transform(docs), labels, sample_weight=weights)
    ours = train([], [])
    text = ("工地夜间施工", "凌晨两点还在打桩，吵得睡不着")
    expected = model.predict_proba(vectorizer.transform([features(*text)]))[0]
    assert np.allclose(ours.scores(features(*text)), expected, atol=1e-6)


def test_threshold_is_the_lowest_that_keeps_the_target_accuracy():
    confidence = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05])
    correct = np.array([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], dtype=bool)
    assert _threshold_from_oof(confidence, correct, target=0.95, max_triage=0.5) == 0.2
    # Never more than max_triage to triage, even if the target is missed.
    assert _threshold_from_oof(confidence, ~correct, target=0.95, max_triage=0.3) == 0.3


def test_threshold_counts_the_cases_the_rules_dispatch_in_accuracy_and_triage():
    confidence = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05])
    correct = np.array([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], dtype=bool)
    # Alone the model must stop at 0.2 (8/8 right; 8/9 at 0.1 misses 0.94); with 10 more cases the rules
    # dispatch, all right, it may go down to 0.1 (18 right of 19 dispatched in all).
    assert _threshold_from_oof(confidence, correct, target=0.94, max_triage=0.5) == 0.2
    assert _threshold_from_oof(confidence, correct, target=0.94, max_triage=0.5, fixed=(10, 10)) == 0.1
    # The share sent to triage is one of all 20 cases: 0.3 of them is 6, all from the model's 10.
    assert _threshold_from_oof(confidence, ~correct, target=0.95, max_triage=0.3, fixed=(10, 0)) == 0.6


def test_dispatch_needs_both_the_threshold_and_the_lead_over_the_second_choice():
    model = dataclasses.replace(train([], []), threshold=0.5, min_margin=0.2)
    assert model.confident([("SWJ", 0.7), ("ZJJ", 0.2)])
    assert not model.confident([("SWJ", 0.6), ("ZJJ", 0.45)])  # sure enough, but too close to the second
    assert not model.confident([("SWJ", 0.45), ("ZJJ", 0.05)])  # far ahead, but below the threshold
    assert model.confident([("SWJ", 0.55)]) and not model.confident([])


def test_training_with_rules_measures_the_model_only_on_the_cases_the_rules_leave_to_it():
    from routing.rules import RuleMatcher, RuleSpec

    words = {"SWJ": ["停水", "水压低", "积水"], "CGJ": ["摊贩", "违建", "垃圾"], "JTJ": ["公交", "出租车", "地铁"]}
    rows = [
        (f"{word}{i}", f"我们这里{word}的问题{i}", "complaint", office)
        for office, ws in words.items()
        for word in ws
        for i in range(3)
    ]
    rules = RuleMatcher([RuleSpec(id=1, name="停水", order=10, lead="SWJ", any=("停水",))])
    model = train([r[:3] for r in rows], [r[3] for r in rows], rules=rules)
    assert model.meta["rule_decided"] == 3
    assert model.meta["oof_triage"] <= 0.15 + 1e-9
    assert train([r[:3] for r in rows], [r[3] for r in rows]).meta["rule_decided"] == 0


@pytest.mark.django_db
def test_trained_model_is_saved_and_a_newer_file_is_picked_up(router):
    first = train([r[:3] for r in ROWS], [r[3] for r in ROWS])
    path = router.model_save(first)
    assert path.parent == router.model_dir() and path.exists()
    loaded = router.current_suggester()
    assert loaded.version == first.version and loaded.classes == first.classes
    second = train([r[:3] for r in ROWS], [r[3] for r in ROWS])
    router.model_save(second)
    assert router.current_suggester().version == second.version != first.version


@pytest.mark.django_db
def test_a_newer_file_is_not_looked_for_before_the_reload_interval(router, settings):
    settings.ROUTER_RELOAD_SECONDS = 3600
    first = router.current_suggester()
    assert first.version == "catalogue"
    router.model_save(train([r[:3] for r in ROWS], [r[3] for r in ROWS]))
    assert router.current_suggester() is first


@pytest.mark.django_db
def test_damaged_model_file_keeps_the_previous_model(router):
    good = train([r[:3] for r in ROWS], [r[3] for r in ROWS])
    router.model_save(good)
    assert router.current_suggester().version == good.version
    (router.model_dir() / "router-29991231T235959000000.joblib").write_bytes(b"not a model")
    assert router.current_suggester().version == good.version


@pytest.mark.django_db
def test_train_router_learns_from_closed_cases_with_their_final_department(router, city):
    from django.utils import timezone

    from city.models import Department
    from feedback.models import CloseReason, Status, Submission
    from routing.selectors import routing_training_rows
    from routing.services import router_train

    swj = Department.objects.get(code="SWJ")
    for i, (title, text, kind, _dept) in enumerate(ROWS * 2):
        Submission.objects.create(
            tracking_number=f"T{i}",
            secret_hash="x",
            kind=kind,
            title=title,
            text=text,
            status=Status.CLOSED,
            close_reason=CloseReason.RATED,
            lead_department=swj,
            closed_at=timezone.now(),
        )
    Submission.objects.create(
        tracking_number="SPAM",
        secret_hash="x",
        kind="complaint",
        title="广告",
        text="广告",
        status=Status.CLOSED,
        close_reason=CloseReason.SPAM,
        lead_department=swj,
    )
    rows = routing_training_rows()
    assert len(rows) == 8 and {r[3] for r in rows} == {"SWJ"}
    model = router_train()
    assert router.current_suggester().version == model.version
    assert model.meta["samples"] == 8


@pytest.mark.django_db
def test_train_router_refuses_unknown_departments_and_saves_nothing(router, city):
    from routing.services import TrainingDataError, router_train

    with pytest.raises(TrainingDataError, match="XYZ"):
        router_train(rows=[("a", "b", "complaint", "XYZ")])
    assert router.model_files() == []


def test_blend_weight_and_threshold_are_chosen_out_of_fold_from_enough_history():
    texts = {
        "SWJ": ["停水", "水压低", "自来水发黄", "下水道堵", "积水"],
        "CGJ": ["摊贩", "违建", "垃圾", "小广告", "占道"],
        "JTJ": ["公交", "出租车", "网约车", "地铁", "驾校"],
    }
    rows = [
        (f"{word}{i}", f"我们这里{word}的问题{i}", "complaint", office)
        for office, words in texts.items()
        for word in words
        for i in range(2)
    ]
    model = train([r[:3] for r in rows], [r[3] for r in rows])
    assert model.meta["prior_weight"] in suggester_mod.PRIOR_WEIGHTS
    assert model.prior_weight == model.meta["prior_weight"] and model.prior is not None
    assert model.meta["oof_triage"] <= 0.15 + 1e-9
    # One measure of sureness decides (the top score or the margin), calibrated, with a cut on that scale.
    assert model.measure == model.meta["measure"] in ("top", "margin")
    xs, ys = model.calibration
    assert list(xs) == sorted(xs) and list(ys) == sorted(ys) and 0 <= ys[0] <= ys[-1] <= 1
    assert 0 <= model.cut <= 1
    assert model.category_weight == 0.0  # no row says what the citizen chose: nothing to learn, nothing trusted
    probabilities = model.scores(features("停水", "又停水了"))
    assert probabilities.sum() == pytest.approx(1.0)


@pytest.mark.django_db
def test_train_router_with_no_history_says_so_and_saves_nothing(router, city):
    from routing.services import TrainingDataError, router_train

    with pytest.raises(TrainingDataError):
        router_train()
    assert router.model_files() == []


@pytest.mark.django_db
def test_train_router_chooses_its_cut_with_the_active_rules_counted(router, city):
    """The nightly model is trained as evaluate_routing trains it: the rows the rules decide are known."""
    from routing.services import router_train

    wages = [("讨薪", f"公司拖欠工资{i}个月了，老板不见人", "complaint", "RSJ") for i in range(8)]
    rows = wages + [(title, f"{text}{i}", kind, dept) for i in range(6) for title, text, kind, dept in ROWS]
    from routing.rules import CaseInput

    matcher = router.current_rules().matcher
    caught = sum(matcher.match(CaseInput.build(title=t, text=x, kind=k)) is not None for t, x, k, _d in rows)
    assert caught >= 8  # at least the unpaid-wages rule of the demo catalogue
    model = router_train(rows=rows, save=False)
    assert model.meta["samples"] == len(rows) == 32
    assert model.meta["rule_decided"] == caught  # 0 if training did not see the rules


def _rows_with_citizens(choose):
    """Thirty cases of three offices, with the office of the category each citizen chose (``choose``)."""
    texts = {
        "SWJ": ["停水", "水压低", "自来水发黄", "下水道堵", "积水"],
        "CGJ": ["摊贩", "违建", "垃圾", "小广告", "占道"],
        "ZJJ": ["工地", "物业", "电梯", "燃气", "房屋"],
    }
    rows = [
        (f"问题{i}", f"我们这里{word}的问题{i}，还有别的事", "complaint", office)
        for office, words in texts.items()
        for word in words
        for i in range(3)
    ]
    return [r[:3] for r in rows], [r[3] for r in rows], [choose(n, r[3]) for n, r in enumerate(rows)]


def test_the_citizens_choice_is_trusted_as_far_as_it_proved_right_out_of_fold():
    texts, labels, right = _rows_with_citizens(lambda n, office: office)
    trusted = train(texts, labels, offices=right)
    offices = ["SWJ", "CGJ", "ZJJ"]
    texts, labels, random_choice = _rows_with_citizens(lambda n, office: offices[(n * 7) % 3])
    doubted = train(texts, labels, offices=random_choice)

    assert trusted.category_weight > doubted.category_weight >= 0
    assert trusted.meta["category_weight"] == trusted.category_weight
    ranked = trusted.suggest("问题", "楼里的情况", citizen_office="ZJJ")
    assert ranked[0][0] == "ZJJ"  # an unclear text: the citizen's word decides


def test_a_dispatch_against_the_citizens_choice_needs_the_higher_cut():
    model = dataclasses.replace(train([], []), measure="top", calibration=None, cut=0.5, against_cut=0.8)

    assert model.confident([("SWJ", 0.7), ("ZJJ", 0.2)], citizen_office="SWJ")
    assert model.confident([("SWJ", 0.7), ("ZJJ", 0.2)])  # no choice: the usual cut
    assert not model.confident([("SWJ", 0.7), ("ZJJ", 0.2)], citizen_office="ZJJ")
    assert model.confident([("SWJ", 0.85), ("ZJJ", 0.1)], citizen_office="ZJJ")


def test_calibrated_sureness_maps_the_measure_through_the_fitted_steps():
    model = dataclasses.replace(
        train([], []), measure="margin", calibration=((0.1, 0.5, 0.9), (0.2, 0.6, 0.95)), cut=0.6
    )

    assert model.sureness([("SWJ", 0.8), ("ZJJ", 0.3)]) == pytest.approx(0.6)  # margin 0.5
    assert model.sureness([("SWJ", 0.95), ("ZJJ", 0.0)]) == pytest.approx(0.95)  # beyond the last step: clipped
    assert model.confident([("SWJ", 0.8), ("ZJJ", 0.3)]) and not model.confident([("SWJ", 0.6), ("ZJJ", 0.3)])


@pytest.mark.django_db
def test_training_cases_carry_the_office_of_the_category_the_citizen_chose(city):
    from django.utils import timezone

    from city.models import Category, Department
    from feedback.models import CloseReason, Status, Submission
    from routing.selectors import routing_training_cases

    swj = Department.objects.get(code="SWJ")
    chosen = {"A": Category.objects.get(code="housing.property"), "B": None}
    for number, category in chosen.items():
        Submission.objects.create(
            tracking_number=number,
            secret_hash="x",
            kind="complaint",
            title="停水",
            text="三天没有水",
            category=category,
            status=Status.CLOSED,
            close_reason=CloseReason.RATED,
            lead_department=swj,
            closed_at=timezone.now(),
        )

    rows, offices = routing_training_cases()

    assert [r[3] for r in rows] == ["SWJ", "SWJ"]
    assert sorted(offices, key=str) == [None, "ZJJ"]
