#!/usr/bin/env python
"""Reproduce the surge detector's figures on splits of a labelled stream.

    python scripts/surge_splits.py /work/shared/data/surge-stream-dev.csv [--shift-seeds 10]

Evaluation only: it reads the ``burst`` labels to build the splits and to
score, which the detector itself never sees. Splits: the full stream; two
halves by incident (each keeps all the background); the first two days and
the last day; and "time-shifted" streams where every incident is moved to a
random time (so they overlap differently) and 20% of districts are blanked.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from surges.detector import Report, replay  # noqa: E402


def score(rows: list[dict]) -> str:
    at = {r["id"]: datetime.fromisoformat(r["at"]) for r in rows}
    label = {r["id"]: r["burst"] for r in rows}
    members = defaultdict(list)
    for r in rows:
        if r["burst"]:
            members[r["burst"]].append((at[r["id"]], r["id"]))
    incidents = {b: sorted(m) for b, m in members.items() if not b.startswith("N") and len(m) >= 5}
    alerts = replay([Report(r["id"], at[r["id"]], r["text"], r["district"]) for r in rows])
    matched, best = 0, {}
    for alert in alerts:
        top, count = Counter(label[i] for i in alert.ids).most_common(1)[0]
        if top in incidents and 2 * count >= len(alert.ids) and 2 * count >= len(incidents[top]):
            matched += 1
            best[top] = min(best.get(top, alert.raised_at), alert.raised_at)
    precision = matched / len(alerts) if alerts else 0.0
    recall = len(best) / len(incidents) if incidents else 0.0
    delays = [max(0.0, (best[b] - incidents[b][4][0]).total_seconds() / 60) for b in best]
    delay = statistics.median(delays) if delays else float("inf")
    return (
        f"incidents={len(incidents):2d} alerts={len(alerts):2d} "
        f"precision={precision:.2f} recall={recall:.2f} delay_min={delay:.1f}"
    )


def shifted(rows: list[dict], seed: int) -> list[dict]:
    rnd = random.Random(seed)
    t0, t1 = datetime.fromisoformat(rows[0]["at"]), datetime.fromisoformat(rows[-1]["at"])
    span: dict[str, tuple[datetime, datetime]] = {}
    for r in rows:
        if r["burst"]:
            t = datetime.fromisoformat(r["at"])
            first, last = span.get(r["burst"], (t, t))
            span[r["burst"]] = (min(first, t), max(last, t))
    shift = {}
    for b, (first, last) in span.items():
        low, high = t0 + timedelta(hours=12) - first, t1 - last
        shift[b] = low + (high - low) * rnd.random() if high > low else timedelta(0)
    out = []
    for r in rows:
        r = dict(r)
        if r["burst"]:
            r["at"] = (datetime.fromisoformat(r["at"]) + shift[r["burst"]]).isoformat()
        if rnd.random() < 0.2:
            r["district"] = ""
        out.append(r)
    return sorted(out, key=lambda r: r["at"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("stream")
    parser.add_argument("--shift-seeds", type=int, default=10)
    args = parser.parse_args()
    rows = list(csv.DictReader(open(args.stream, encoding="utf-8")))
    names = sorted({r["burst"] for r in rows if r["burst"]})
    half = set(names[::2])
    days = sorted({r["at"][:10] for r in rows})
    print("full             ", score(rows))
    print("incidents half A ", score([r for r in rows if not r["burst"] or r["burst"] in half]))
    print("incidents half B ", score([r for r in rows if not r["burst"] or r["burst"] not in half]))
    print("days before last ", score([r for r in rows if r["at"][:10] < days[-1]]))
    print("last day         ", score([r for r in rows if r["at"][:10] == days[-1]]))
    for seed in range(args.shift_seeds):
        print(f"time-shifted {seed:2d} ", score(shifted(rows, seed)))


if __name__ == "__main__":
    main()
