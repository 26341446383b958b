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
