"""How well the knowledge base answers the dev set's questions: is a relevant article in the top 3?

    manage.py kb_bench /work/shared/data/routing-dev.csv [--seed]

Reads the consultation rows of a routing-dev.csv file, searches each (title and
text, as the operator would have typed them) exactly as the console does, and
compares the top three with ``knowledge/data/kb_relevance.json`` (hand-judged:
relevant = owned by the row's department and answering the question asked).
Also prints the weaker "an article of the right department in the top 3".
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from knowledge.models import Article
from knowledge.selectors import articles_search

LABELS = Path(__file__).resolve().parents[2] / "data" / "kb_relevance.json"


class Command(BaseCommand):
    help = "Top-3 figure of the knowledge-base search on the consultation rows of a routing-dev.csv file."

    def add_arguments(self, parser):
        parser.add_argument("csv_path")
        parser.add_argument("--seed", action="store_true", help="Write the demo knowledge base first.")
        parser.add_argument("--show", action="store_true", help="Print each row's top three.")

    def handle(self, *args, **options):
        if options["seed"]:
            from knowledge.demo import seed_articles

            seed_articles()
        path = Path(options["csv_path"])
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        with path.open(encoding="utf-8") as handle:
            rows = [r for r in csv.DictReader(handle) if r["kind"] == "consultation"]
        labels = json.loads(LABELS.read_text(encoding="utf-8"))["relevant"]
        missing = [r["id"] for r in rows if r["id"] not in labels]
        if missing:
            raise CommandError(f"rows without a judgement in {LABELS.name}: {missing}")
        slugs = set(Article.objects.values_list("slug", flat=True))
        unknown = {s for ids in labels.values() for s in ids} - slugs
        if unknown:
            raise CommandError(f"judged articles missing from the database (seed first?): {sorted(unknown)}")
        owner = dict(Article.objects.values_list("slug", "department__code"))
        stats = {lang: {"n": 0, "top1": 0, "top3": 0, "dept3": 0, "answerable": 0} for lang in ("zh", "en", "all")}
        seconds = []
        for row in rows:
            relevant = set(labels[row["id"]])
            assert all(owner[s] == row["department"] for s in relevant), row["id"]
            started = time.perf_counter()
            found = [a for a, _hit in articles_search(f"{row['title']} {row['text']}", limit=3)]
            seconds.append(time.perf_counter() - started)
            top = [a.slug for a in found]
            for key in (row["lang"], "all"):
                s = stats[key]
                s["n"] += 1
                s["answerable"] += bool(relevant)
                s["top1"] += bool(top[:1]) and top[0] in relevant
                s["top3"] += bool(relevant & set(top))
                s["dept3"] += any(a.department.code == row["department"] for a in found)
            if options["show"]:
                mark = "✓" if relevant & set(top) else "✗"
                self.stdout.write(f"{mark} {row['id']} {row['title'][:30]} → {top} (want {sorted(relevant)})")
        self.stdout.write(f"articles: {len(slugs)}; consultation rows: {stats['all']['n']}")
        for key in ("all", "zh", "en"):
            s = stats[key]
            self.stdout.write(
                f"{key:>3}: relevant in top 3 {s['top3']}/{s['n']} ({s['top3'] / max(s['n'], 1):.0%}); "
                f"of answerable {s['top3']}/{s['answerable']}; top 1 {s['top1']}/{s['n']}; "
                f"right department in top 3 {s['dept3']}/{s['n']}"
            )
        seconds.sort()
        self.stdout.write(
            f"search time: median {seconds[len(seconds) // 2] * 1000:.1f} ms, max {seconds[-1] * 1000:.1f} ms"
        )
