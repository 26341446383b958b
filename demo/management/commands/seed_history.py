from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.history import DEFAULT_SEED, SIZES, history_seed


class Command(BaseCommand):
    help = (
        "Give the demo city a past: weeks of cases in both languages from every channel, played through the real "
        "services on a simulated clock (routing, sign-for, returns, replies, escalations, ratings, reopenings, "
        "surges). Run after seed_demo. Idempotent: a database that has a history is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="full", help="full: 90 days; small: 35 days.")
        parser.add_argument("--days", type=int, help="Overrides the size's number of days.")
        parser.add_argument("--per-day", type=int, help="Overrides the size's mean cases per working day.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args, **options):
        days, per_day = SIZES[options["size"]]
        days = options["days"] or days
        per_day = options["per_day"] or per_day
        if connection.vendor != "postgresql":
            raise CommandError("The demo history needs PostgreSQL (its deadline sweep is PostgreSQL SQL).")
        if days < 1 or per_day < 1:
            raise CommandError("--days and --per-day must be at least 1.")
        result = history_seed(days=days, per_day=per_day, seed=options["seed"])
        if not result.created:
            self.stdout.write("The demo history is already there: nothing to do.")
            return
        statuses = ", ".join(f"{k}={v}" for k, v in sorted(result.statuses.items()))
        self.stdout.write(
            f"Demo history: {result.cases} cases over {days} days in {result.seconds:.1f} s ({statuses}); "
            f"surge alerts: {result.surge_alerts}."
        )
        if result.refused:
            self.stdout.write(
                "Steps the portal refused (left undone): " + ", ".join(f"{k}={v}" for k, v in result.refused.items())
            )
