"""Replay a CSV stream through the surge detector on a simulated clock.

    manage.py evaluate_surges STREAM.csv --out ALERTS.jsonl
    manage.py evaluate_surges STREAM.csv --held-out [--folds 4]

STREAM.csv has ``at,id,lang,district,text``; the alerts written by ``--out``
never read other columns (such as the labels of an evaluation set). Each
alert is written as it stood at the end: {"alert_id", "raised_at", "ids"}.

``--held-out`` reads the ``burst`` labels, for scoring only
(``surges.evaluation``): the dev figure, then leave-incidents-out and
time-split folds, whose one tuned threshold is chosen inside the training
folds; each fold, then the mean and the worst.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError

from surges import evaluation
from surges.detector import DetectorConfig, Report, replay

READ_COLUMNS = ("at", "id", "district", "text")


class Command(BaseCommand):
    help = "Replay a submission stream through the surge detector and write the alerts as JSON lines."

    def add_arguments(self, parser):
        parser.add_argument("stream")
        parser.add_argument("--out")
        parser.add_argument("--beat-seconds", type=int, default=300, help="Simulated beat interval.")
        parser.add_argument("--held-out", action="store_true", help="score held-out folds (reads the labels)")
        parser.add_argument("--folds", type=int, default=4, help="leave-incidents-out folds")

    def handle(self, *args, stream: str, out: str | None, beat_seconds: int, **options):
        if beat_seconds <= 0:
            raise CommandError("--beat-seconds must be positive.")
        if not out and not options["held_out"]:
            raise CommandError("Give --out ALERTS.jsonl, --held-out, or both.")
        if out:
            self._write_alerts(stream, out, beat_seconds)
        if options["held_out"]:
            self._held_out(stream, options["folds"])

    def _held_out(self, stream: str, folds: int) -> None:

        try:
            rows = evaluation.rows_read(stream)
        except (OSError, KeyError, ValueError) as exc:
            raise CommandError(f"Cannot read labelled stream {stream}: {exc}") from exc
        out = self.stdout.write
        out(f"dev (whole stream, default thresholds): {evaluation.score(rows, DetectorConfig()).line()}")
        for name, found in (
            ("leave incidents out", evaluation.leave_incidents_out(rows, folds=folds)),
            ("time split", evaluation.time_split(rows)),
        ):
            out(f"{name}:")
            for fold in found:
                out(f"  {fold.name}: join={fold.join:g} {fold.score.line()}")
            out(f"  {name}: {evaluation.summary(found)}")

    def _write_alerts(self, stream: str, out: str, beat_seconds: int) -> None:
        reports = list(_read_stream(stream))
        alerts = replay(reports, beat=timedelta(seconds=beat_seconds))
        with open(out, "w", encoding="utf-8") as handle:
            for alert in alerts:
                line = {"alert_id": alert.alert_id, "raised_at": alert.raised_at.isoformat(), "ids": alert.ids}
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.stdout.write(f"{len(reports)} submissions, {len(alerts)} alerts -> {out}")


def _read_stream(path: str):
    try:
        handle = open(path, encoding="utf-8", newline="")
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in READ_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CommandError(f"{path}: missing columns {', '.join(missing)}")
        for n, row in enumerate(reader, start=2):
            try:
                at = datetime.fromisoformat(row["at"].replace("Z", "+00:00"))
            except ValueError as exc:
                raise CommandError(f"{path} line {n}: bad time {row['at']!r}") from exc
            if at.tzinfo is None:
                raise CommandError(f"{path} line {n}: time {row['at']!r} has no UTC offset")
            # Only these columns are read: never the evaluation labels.
            yield Report(id=row["id"], at=at, text=row["text"] or "", district=row["district"] or "")
