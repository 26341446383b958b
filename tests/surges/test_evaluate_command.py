"""manage.py evaluate_surges: same detector, simulated clock, labels never read."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

SHARED = Path(__file__).resolve().parents[3] / "shared"  # ../shared beside the repository, as in CI
DEV_STREAM = SHARED / "data" / "surge-stream-dev.csv"
SCORER = SHARED / "tools" / "score_surges.py"


def _write(path: Path, rows: list[dict], fields: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.skipif(not DEV_STREAM.exists(), reason="the shared dev stream is not on this machine")
def test_labels_are_not_read_and_the_dev_stream_scores_above_target(tmp_path):
    rows = list(csv.DictReader(DEV_STREAM.open(encoding="utf-8")))
    scrambled = [{**row, "burst": "B99" if i % 2 else ""} for i, row in enumerate(rows)]
    _write(tmp_path / "scrambled.csv", scrambled, list(rows[0]))
    _write(tmp_path / "unlabelled.csv", rows, ["at", "id", "lang", "district", "text"])

    call_command("evaluate_surges", str(tmp_path / "scrambled.csv"), out=str(tmp_path / "a.jsonl"))
    call_command("evaluate_surges", str(tmp_path / "unlabelled.csv"), out=str(tmp_path / "b.jsonl"))

    first = (tmp_path / "a.jsonl").read_text(encoding="utf-8")
    assert first == (tmp_path / "b.jsonl").read_text(encoding="utf-8")
    alert = json.loads(first.splitlines()[0])
    assert set(alert) == {"alert_id", "raised_at", "ids"}
    score = (
        subprocess.run(
            [sys.executable, str(SCORER), str(DEV_STREAM), str(tmp_path / "a.jsonl")], capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    figures = dict(part.split("=") for part in score.split())
    assert float(figures["precision"]) >= 0.9
    assert float(figures["recall"]) >= 0.9
    assert float(figures["delay_min"]) <= 15


def test_bad_time_is_a_clear_error(tmp_path):
    _write(
        tmp_path / "bad.csv",
        [{"at": "yesterday", "id": "1", "district": "", "text": "x"}],
        ["at", "id", "district", "text"],
    )

    with pytest.raises(CommandError, match="line 2"):
        call_command("evaluate_surges", str(tmp_path / "bad.csv"), out=str(tmp_path / "out.jsonl"))


def test_missing_column_is_a_clear_error(tmp_path):
    _write(tmp_path / "bad.csv", [{"at": "2026-01-01T00:00:00+08:00", "id": "1"}], ["at", "id"])

    with pytest.raises(CommandError, match="missing columns"):
        call_command("evaluate_surges", str(tmp_path / "bad.csv"), out=str(tmp_path / "out.jsonl"))


def test_held_out_folds_are_scored_and_their_mean_and_worst_printed(tmp_path, monkeypatch):
    """A tiny stream (two incidents, two days): the command's folds, not their figures, are under test."""
    from io import StringIO

    from surges import evaluation

    monkeypatch.setattr(evaluation, "JOIN_GRID", (22.0,))  # one candidate: keeps the test fast
    rows = []
    for day, (place, burst) in enumerate([("翠湖苑", "B01"), ("金沙小区", "B02")]):
        for i in range(6):
            rows.append(
                {
                    "at": f"2026-03-0{day + 1}T10:{10 * i:02d}:00+08:00",
                    "id": f"{burst}-{i}",
                    "district": "南湖区",
                    "text": f"{place}停水了，第{i}次反映，什么时候来水",
                    "burst": burst,
                }
            )
    _write(tmp_path / "s.csv", rows, ["at", "id", "district", "text", "burst"])
    out = StringIO()

    call_command("evaluate_surges", str(tmp_path / "s.csv"), held_out=True, folds=2, stdout=out)

    printed = out.getvalue()
    assert printed.startswith("dev (whole stream")
    assert "leave incidents out: mean precision=" in printed and "worst precision=" in printed
    assert "time split: mean precision=" in printed
