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
