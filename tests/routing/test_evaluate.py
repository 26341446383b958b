"""evaluate_routing: its figures, its decisions file, and agreement with the shared scorer."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SCORER = Path(__file__).resolve().parents[3] / "shared" / "tools" / "score_routing.py"  # ../shared, as in CI
HEADER = ["id", "lang", "kind", "district", "title", "text", "department", "ambiguous"]
SAMPLES = {
    "SWJ": ["小区停水一整天", "自来水发黄", "暴雨后路口积水", "下水道堵了返臭水", "Water outage in our building"],
    "CGJ": ["路边摊贩占道经营", "垃圾没人清运", "楼顶违建", "小广告贴满墙", "Street vendors block the pavement"],
    "JTJ": ["公交车不按站停", "出租车拒载", "网约车绕路", "路面坑洼", "The bus driver skipped our stop"],
    "WJW": ["医院挂号难", "医生态度差", "社区医院排队久", "诊所乱收费看病", "The doctor was rude at the hospital"],
}


def write_csv(path: Path, prefix: str, variants: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        n = 0
        for department, texts in SAMPLES.items():
            for text in texts:
                for variant in variants:
                    n += 1
                    writer.writerow(
                        [f"{prefix}{n:03d}", "zh", "complaint", "东城区", text, f"{variant}{text}", department, 0]
                    )
    return path


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


@pytest.mark.parametrize("cross_validated", [True, False])
def test_evaluate_routing_line_agrees_with_the_shared_scorer(tmp_path, capsys, cross_validated):
    test_file = write_csv(tmp_path / "test.csv", "T", ["请尽快处理：", "反映一下，"])
    decisions = tmp_path / "decisions.csv"
    options = (
        {"folds": 2} if cross_validated else {"train": str(write_csv(tmp_path / "train.csv", "R", ["", "市民说"]))}
    )
    call_command("evaluate_routing", str(test_file), out=str(decisions), **options)
    printed = capsys.readouterr().out
    assert last_line(printed).startswith("accuracy=") and " triage=" in last_line(printed)
    assert "per department" in printed and "worst confusions" in printed
    scored = subprocess.run([sys.executable, SCORER, test_file, decisions], capture_output=True, text=True, check=True)
    ours = dict(pair.split("=") for pair in last_line(printed).split())
    theirs = dict(pair.split("=") for pair in last_line(scored.stdout).split())
    assert ours["accuracy"] == theirs["accuracy"] and ours["triage"] == theirs["triage"]
    rows = list(csv.DictReader(decisions.open(encoding="utf-8")))
    assert len(rows) == 40 and set(rows[0]) == {"id", "department", "confidence"}


def test_evaluate_routing_names_a_missing_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text\n1,停水\n", encoding="utf-8")
    with pytest.raises(CommandError, match="department"):
        call_command("evaluate_routing", str(bad))


def test_grouped_folds_keep_near_duplicates_together_and_report_each_fold_mean_and_worst(tmp_path, capsys):
    from routing import evaluation

    text = "我们小区从昨天早上开始停水，到现在还没有来水，物业说不清楚原因。"
    rows = [
        evaluation.Row("A", "停水", text, "complaint", "", "SWJ"),
        evaluation.Row("B", "停水", "请尽快处理：" + text, "complaint", "", "SWJ"),  # the same text, retold
        evaluation.Row("C", "停水", "请尽快处理：" + text.replace("昨天早上", "前天晚上"), "complaint", "", "SWJ"),
        evaluation.Row("D", "路灯", "幸福路上的路灯坏了好几盏，晚上走路很黑。", "complaint", "", "CGJ"),
    ]
    groups = evaluation.near_duplicate_groups(rows)
    assert groups[0] == groups[1] == groups[2] != groups[3]

    test_file = write_csv(tmp_path / "test.csv", "T", ["请尽快处理：", "反映一下，"])
    call_command("evaluate_routing", str(test_file), folds=2, grouped=True, citizens="simulated")
    printed = capsys.readouterr().out
    assert "fold 0: accuracy=" in printed and "fold 1: accuracy=" in printed
    assert "folds: mean accuracy=" in printed and "worst accuracy=" in printed
    assert "reliability" in printed and "citizens' categories: simulated" in printed


def test_simulated_citizens_are_reproducible_and_mostly_right():
    from routing import evaluation

    rows = [evaluation.Row(f"R{n}", "停水", "小区停水", "complaint", "", "SWJ") for n in range(200)]
    evaluation.citizens_simulate(rows, seed=3)
    first = [r.citizen_office for r in rows]
    evaluation.citizens_simulate(rows, seed=3)

    assert [r.citizen_office for r in rows] == first
    right = sum(office == "SWJ" for office in first) / len(first)
    unsure = sum(office == "" for office in first) / len(first)
    assert 0.5 < right < 0.7 and 0.15 < unsure < 0.35
