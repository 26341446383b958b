from django.core.management.base import BaseCommand, CommandError

from portal.errors import DomainError
from routing import evaluation
from routing.services import router_train


class Command(BaseCommand):
    help = (
        "Train the routing suggester on closed cases (the department that finally handled each), or on a labelled "
        "CSV with --csv. Saves a new model version; workers load it on their next check."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", help="labelled CSV (id,...,title,text,department) instead of the database")

    def handle(self, *args, **options):
        rows = None
        if options["csv"]:
            try:
                rows = [(r.title, r.text, r.kind, r.department) for r in evaluation.rows_read(options["csv"])]
            except (OSError, ValueError) as error:
                raise CommandError(str(error)) from error
        try:
            suggester = router_train(rows=rows)
        except DomainError as error:
            raise CommandError(error.message) from error
        meta = suggester.meta
        figures = ""
        if "oof_accuracy" in meta:
            figures = (
                f" out-of-fold accuracy={meta['oof_accuracy']:.3f} triage={meta['oof_triage']:.3f}"
                f" catalogue weight={meta['prior_weight']}"
            )
        self.stdout.write(
            f"model {suggester.version}: {meta['samples']} cases, "
            f"cut {suggester.cut if suggester.cut is not None else suggester.threshold:.3f}{figures}"
        )
