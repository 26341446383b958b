"""Benchmark: one routing decision with 1,000 active rules and the model loaded.

    python bench/bench_routing.py [--rules 1000] [--cases 2000] [--texts routing-dev.csv]

Prints p50/p99 latency of one decision (rules, then the suggester) and the
batch throughput on one core. Targets: p99 < 2 ms, >= 1,000 decisions/s.
The rules are the demo catalogue rules plus synthetic ones built from
catalogue phrases with districts and kinds, ordered after them, so most
cases run through the whole rule set before the model decides.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import django  # noqa: E402

django.setup()

from city import catalogue  # noqa: E402
from routing import evaluation  # noqa: E402
from routing.engine import decide  # noqa: E402
from routing.rules import CaseInput, RuleMatcher, RuleSpec  # noqa: E402
from routing.suggester import features, train  # noqa: E402

KINDS = ["complaint", "appeal", "suggestion", "consultation", "report", "praise"]
DISTRICTS = ["dongcheng", "xicheng", "nanhu", "beishan", "gaoxin"]


def synthetic_rules(n: int, rng: random.Random) -> list[RuleSpec]:
    rules = evaluation.catalogue_rules()
    offices = list(catalogue.TERMS)
    terms = [(o, t.lower()) for o in offices for t in catalogue.TERMS[o]]
    while len(rules) < n:
        office, term = rng.choice(terms)
        other = rng.choice(terms)[1]
        rules.append(
            RuleSpec(
                id=len(rules) + 1,
                name=f"synthetic {len(rules)}",
                order=1000 + len(rules),
                lead=office,
                any=(term, f"{term}{rng.randint(0, 99)}"),
                all=(other,) if rng.random() < 0.5 else (),
                none=(rng.choice(terms)[1],) if rng.random() < 0.3 else (),
                district=rng.choice(DISTRICTS),
                kind=rng.choice(KINDS),
            )
        )
    return rules


def texts_from(path: str | None, rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    if path:
        rows = evaluation.rows_read(path)
        base = [(r.title, r.text, r.kind, r.district) for r in rows]
    else:
        base = [
            (s[:12], s, rng.choice(KINDS), rng.choice(DISTRICTS))
            for sentences in catalogue.DUTIES.values()
            for s in sentences
        ]
    return [rng.choice(base) for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rules", type=int, default=1000)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--texts", default=None, help="a routing CSV to take texts from (default: catalogue sentences)")
    args = parser.parse_args()
    rng = random.Random(7)
    rules = synthetic_rules(args.rules, rng)
    matcher = RuleMatcher(rules)
    if args.texts:  # the production shape: trained on history, blended with the catalogue model
        rows = evaluation.rows_read(args.texts)
        model = evaluation.train_rows(rows)
    else:
        model = train([], [], version="bench")
    cases = texts_from(args.texts, rng, args.cases)
    # Warm up: jieba's dictionary and the feature cache are per process; clear
    # the cache so every measured decision tokenises its text afresh.
    decide(case=CaseInput.build(title="预热", text="预热"), title="预热", text="预热", matcher=matcher, suggester=model)
    features.__globals__["_features_cached"].cache_clear()
    latencies, cpu = [], []
    unique = [(f"{t} #{i}", x, k, d) for i, (t, x, k, d) in enumerate(cases)]  # no cache hits
    start, start_cpu = time.perf_counter(), time.thread_time()
    for title, text, kind, district in unique:
        t0, c0 = time.perf_counter(), time.thread_time()
        decide(
            case=CaseInput.build(title=title, text=text, kind=kind, district=district),
            title=title,
            text=text,
            matcher=matcher,
            suggester=model,
        )
        latencies.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    total, total_cpu = time.perf_counter() - start, time.thread_time() - start_cpu
    print(
        f"rules={len(matcher)} cases={len(unique)} model_features={len(model.vocabulary)} "
        f"blended={model.prior is not None} load={os.getloadavg()[0]:.1f}"
    )
    # Wall time includes waiting for a core on a busy machine; CPU time is what one decision costs.
    for label, values, spent in (("wall", latencies, total), ("cpu", cpu, total_cpu)):
        values.sort()
        p50 = values[len(values) // 2] * 1000
        p99 = values[int(len(values) * 0.99)] * 1000
        print(f"{label}: p50={p50:.3f} ms p99={p99:.3f} ms throughput={len(unique) / spent:.0f} decisions/s (one core)")


if __name__ == "__main__":
    main()
