import time

from django.core.management.base import BaseCommand, CommandError

from portal.csv_export import csv_writer
from routing import evaluation
from routing.rules import RuleMatcher


class Command(BaseCommand):
    help = (
        "Evaluate the routing engine (the demo rules of the duty catalogue, then the suggester) on a labelled CSV "
        "(id,lang,kind,district,title,text,department,ambiguous). The suggester is trained on --train, or "
        "cross-validated on FILE. The last line is accuracy=<0..1> triage=<0..1>."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--train", help="train the suggester on this labelled CSV instead of cross-validating")
        parser.add_argument("--out", help="write one decision per row: id,department,confidence (empty = triage)")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--no-rules", action="store_true", help="the suggester alone, without the demo rules")
        parser.add_argument(
            "--grouped",
            action="store_true",
            help="held-out folds that keep near-duplicate texts together (StratifiedGroupKFold); prints each fold",
        )
        parser.add_argument(
            "--citizens",
            choices=["none", "simulated"],
            default="none",
            help="the citizen's chosen category: none (as in the file), or simulated "
            f"({evaluation.CITIZEN_RIGHT:.0%} right office, {evaluation.CITIZEN_WRONG:.0%} a plausible wrong one, "
            "the rest not sure)",
        )
        parser.add_argument(
            "--untrained",
            action="store_true",
            help="no training at all: the suggester learned from the duty catalogue only (a fresh portal)",
        )

    def handle(self, *args, **options):
        try:
            rows = evaluation.rows_read(options["file"])
            train_rows = evaluation.rows_read(options["train"]) if options["train"] else None
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        if options["folds"] < 2:
            raise CommandError("--folds must be at least 2")
        matcher = None if options["no_rules"] else RuleMatcher(evaluation.catalogue_rules())
        if options["citizens"] == "simulated":
            evaluation.citizens_simulate(rows, seed=options["seed"])
            if train_rows is not None:
                evaluation.citizens_simulate(train_rows, seed=options["seed"])
        started = time.monotonic()
        fold_of: list[int] | None = None
        if options["untrained"]:
            decisions = evaluation.decide_rows(rows, matcher, evaluation.train_rows([]))
            how = "suggester learned from the duty catalogue only (untrained, as a fresh portal)"
        elif train_rows is not None:
            model = evaluation.train_rows(train_rows, rules=matcher)
            decisions = evaluation.decide_rows(rows, matcher, model)
            how = f"suggester trained on {options['train']} ({len(train_rows)} rows)"
        else:
            # The rules go to training too: the threshold is chosen for the cases the rules leave to the model.
            fold_of = []
            decisions = evaluation.cross_validated(
                rows,
                matcher,
                folds=options["folds"],
                seed=options["seed"],
                grouped=options["grouped"],
                fold_of=fold_of,
                rules=matcher,
            )
            kind = "grouped (near-duplicates in one fold) " if options["grouped"] else ""
            how = f"{options['folds']}-fold {kind}cross-validation (cuts chosen inside the training folds)"
        how += f"; citizens' categories: {options['citizens']}"
        report = evaluation.report_build(rows, decisions)
        if options["out"]:
            self._write(options["out"], rows, decisions)
        self._print(report, how, matcher, time.monotonic() - started, rows, decisions, fold_of)

    def _write(self, path, rows, decisions):
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv_writer(handle)
            writer.writerow(["id", "department", "confidence"])
            for row, decision in zip(rows, decisions, strict=True):
                confidence = 1.0 if decision.source == "rule" else (decision.confidence or 0.0)
                writer.writerow([row.id, decision.department or "", f"{confidence:.4f}"])

    def _print(self, report, how, matcher, seconds, rows, decisions, fold_of):
        out = self.stdout.write
        rules = f"{len(matcher)} demo rules (duty catalogue)" if matcher else "no rules"
        out(f"items={report.items}; {rules}; {how}; {seconds:.1f} s")
        out(f"first-dispatch accuracy (auto-dispatched): {report.accuracy:.3f} ({report.right}/{report.dispatched})")
        out(f"sent to triage: {report.triage:.3f} ({report.items - report.dispatched})")
        out(f"accuracy if everything were dispatched: {report.right_if_all / report.items:.3f}")
        for source, (count, right) in sorted(report.by_source.items()):
            out(f"  by {source}: {count} cases, {right} right")
        out("per department: code precision recall (n)")
        for code, (precision, recall, count) in report.per_department.items():
            out(f"  {code:<5} {precision:.2f} {recall:.2f} ({count})")
        out("worst confusions: true → sent (count)")
        for true, sent, count in report.confusions:
            out(f"  {true} → {sent} ({count})")
        out("reliability (model-scored cases): sureness bin, cases, mean sureness, share right")
        for low, high, count, mean, right in evaluation.reliability(rows, decisions):
            out(f"  {low:.2f}–{high:.2f} {count:4d} {mean:.3f} {right:.3f}")
        if fold_of:
            figures = evaluation.fold_figures(rows, decisions, fold_of)
            for number, (accuracy, triage, count) in enumerate(figures):
                out(f"  fold {number}: accuracy={accuracy:.3f} triage={triage:.3f} ({count} rows)")
            accuracies, triages = [f[0] for f in figures], [f[1] for f in figures]
            out(
                f"folds: mean accuracy={sum(accuracies) / len(figures):.3f} triage={sum(triages) / len(figures):.3f}; "
                f"worst accuracy={min(accuracies):.3f} triage={max(triages):.3f}"
            )
        out(f"accuracy={report.accuracy:.3f} triage={report.triage:.3f}")
